//! The client's router: the address bar as a signal, plain `<a href>` links that change it
//! without a page load, and the browser's Back and Forward buttons.
//!
//! It replaces `leptos_router` (about 55 KB of wasm before compression, measured with twiggy)
//! because the client needs only this: six fixed paths and a query string. Every same-origin
//! link click is handled here, so a page is an ordinary anchor with an ordinary `href`, and a
//! modified click (new tab, download) keeps the browser's own behaviour.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent, Url, UrlSearchParams};

/// The current address: path and query string (with its `?`, or empty).
#[derive(Clone, Copy)]
pub struct Location {
    pub path: Memo<String>,
    pub search: Memo<String>,
    href: RwSignal<(String, String)>,
}

impl Location {
    /// The value of one query parameter (decoded), if present and not empty.
    pub fn query(search: &str, key: &str) -> Option<String> {
        UrlSearchParams::new_with_str(search)
            .ok()?
            .get(key)
            .filter(|v| !v.is_empty())
    }

    /// Goes to `href` (a path with an optional query), adding an entry to the history.
    pub fn navigate(&self, href: &str) {
        let Some(url) = resolve(href) else {
            return;
        };
        let next = (url.pathname(), url.search());
        if self.href.with_untracked(|now| *now == next) {
            return;
        }
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url.href()));
        }
        self.href.set(next);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn current() -> (String, String) {
    let location = window().location();
    (
        location.pathname().unwrap_or_else(|_| "/".to_string()),
        location.search().unwrap_or_default(),
    )
}

fn resolve(href: &str) -> Option<Url> {
    let base = window().location().href().ok()?;
    Url::new_with_base(href, &base).ok()
}

/// Starts following the address bar and provides the `Location` to the tree. Call once.
pub fn provide_router() -> Location {
    let href = RwSignal::new(current());
    let location = Location {
        path: Memo::new(move |_| href.with(|(path, _)| path.clone())),
        search: Memo::new(move |_| href.with(|(_, search)| search.clone())),
        href,
    };
    // Back and Forward.
    let on_pop = Closure::<dyn Fn()>::new(move || href.set(current()));
    window().set_onpopstate(Some(on_pop.as_ref().unchecked_ref()));
    on_pop.forget();
    // Same-origin link clicks become navigations without a page load.
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |event: MouseEvent| {
        if let Some(target) = link_target(&event) {
            event.prevent_default();
            location.navigate(&target);
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    provide_context(location);
    location
}

/// The address a click should navigate to in-page, or `None` to let the browser handle it
/// (modified or non-primary clicks, other windows, downloads, other origins, in-page anchors).
fn link_target(event: &MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    if anchor.get_attribute("target").is_some_and(|t| t != "_self")
        || anchor.has_attribute("download")
        || anchor
            .get_attribute("rel")
            .is_some_and(|r| r.contains("external"))
    {
        return None;
    }
    let url = resolve(&anchor.get_attribute("href")?)?;
    let here = window().location();
    if url.origin() != here.origin().ok()? {
        return None;
    }
    let same_page =
        url.pathname() == here.pathname().ok()? && url.search() == here.search().ok()?;
    if same_page && !url.hash().is_empty() {
        return None;
    }
    Some(format!("{}{}", url.pathname(), url.search()))
}

/// The `Location` provided by `provide_router`.
pub fn use_location() -> Location {
    expect_context::<Location>()
}
