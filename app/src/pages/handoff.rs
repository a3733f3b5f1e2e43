//! The staff build's stand-ins for the research screens (SPEC K1–K9). The client is built twice
//! (`scripts/build-client`): without the `research` feature for staff and demo users, and with it
//! for a study's tabs. index.html's loader starts the research build for `/facilitator`, `/p/…`
//! and a tab whose session is a participant's, so the staff build meets these routes only when
//! the router reaches one without a page load; loading the address again hands it to the loader.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Loads the address again, so the loader starts the research build. Under `trunk serve`, which
/// has no loader (it serves one build), it says how to get the research screens instead.
#[component]
pub fn StudyHandoff() -> impl IntoView {
    let window = window();
    // Set by the loader that scripts/bundles.mjs writes into the released index.html.
    let loader = js_sys::Reflect::get(&window, &JsValue::from_str("engageBuild"))
        .is_ok_and(|build| !build.is_undefined());
    if loader {
        let _ = window.location().reload();
    }
    view! {
        <p class="nhsuk-body" data-testid="study-handoff">
            {if loader {
                "Opening the study…"
            } else {
                "The research screens are in the research build of the client \
                 (trunk serve --features research)."
            }}
        </p>
    }
}

pub use StudyHandoff as FacilitatorPage;
pub use StudyHandoff as ParticipantLinkPage;
pub use StudyHandoff as ParticipantPicker;
pub use StudyHandoff as StudyLinkInvalid;
