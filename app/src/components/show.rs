//! `when`: a lighter `<Show>`.
//!
//! Leptos's `<Show>` is generic over its condition and children, so each use compiles its own
//! copy of the show/hide machinery. `when` is not generic: every use shares one compiled
//! function, and only the content closures differ (issue 7, docs/PERFORMANCE.md).

use std::sync::Arc;

use leptos::prelude::*;

/// Builds a view on demand.
pub type Build = Arc<dyn Fn() -> AnyView + Send + Sync>;

/// Shows `then` while `condition` is true, else `otherwise` (if any). The content is rebuilt
/// only when the condition changes, and signals read while building it are not tracked.
pub fn when(condition: Memo<bool>, then: Build, otherwise: Option<Build>) -> impl IntoView {
    move || {
        let shown = if condition.get() {
            Some(&then)
        } else {
            otherwise.as_ref()
        };
        shown.map(|build| untrack(|| build()))
    }
}
