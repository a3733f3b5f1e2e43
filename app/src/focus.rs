//! Focus after a change removed the control that had it (WCAG 2.4.3 Focus Order). Lists are
//! keyed by id with reactive rows (`rows`), so a reload updates a row in place and focus stays
//! where the user left it; only a control that is really gone (a share removed, an answered
//! agreement's button, a closed request's Close button) needs focus moved, to the nearest
//! stable place, which each caller names.

use wasm_bindgen::JsCast;

use leptos::prelude::*;

/// Focuses the element with this id once the browser has painted (it may be rendered by the
/// same change).
pub fn focus_soon(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || focus_id(&id));
}

/// Like `focus_soon`, but only if keyboard focus has fallen back to the page itself: the
/// control that had it was removed. Focus the user moved elsewhere is left alone.
pub fn focus_if_lost(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        if focus_lost() {
            focus_id(&id);
        }
    });
}

/// Whether keyboard focus has fallen back to the page itself.
pub fn focus_lost() -> bool {
    document()
        .active_element()
        .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"))
}

fn focus_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
