//! Small DOM helpers the pages share: element ids from data, scrolling an option into view, and
//! offering text as a file download.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// An element id made only of characters that are safe in ids and CSS selectors.
pub fn dom_id(prefix: &str, raw: &str) -> String {
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}

/// Scrolls the element with this id into view within its scrolling list, e.g. the active
/// option of a listbox moved to with the keyboard.
pub fn scroll_into_view(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        element.scroll_into_view_with_bool(false);
    }
}

/// Resolves after `delay`, on the browser's timer.
pub async fn sleep(delay: std::time::Duration) {
    let (done, wait) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        delay,
    );
    let _ = wait.await;
}

/// Offers `text` as a file download named `filename`, through a Blob URL revoked afterwards.
pub fn download(text: &str, filename: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link = document().create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", filename)?;
    let link: web_sys::HtmlElement = link.dyn_into()?;
    link.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::dom_id;

    #[test]
    fn an_id_keeps_letters_digits_and_dashes_only() {
        assert_eq!(dom_id("share", "s-1/ä b"), "share-s-1___b");
    }
}
