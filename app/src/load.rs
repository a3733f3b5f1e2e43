//! `Loader`: data from the API on screen, reloaded when what it depends on changes.
//!
//! Leptos's `LocalResource` + `<Transition>` do this too, but each use compiles its own copy of
//! the async-derived machinery (about 4–8 KB of wasm per use, measured with twiggy). A loader
//! is a signal holding the latest answer and a trigger to ask again; the only per-type code is
//! one small future. It behaves like a resource inside `<Transition>`: `None` until the first
//! answer, then the previous answer stays on screen until the next one arrives.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// The latest answer of a loading function, reloaded when a signal it read changes or when
/// `refetch` is called. Answers that arrive after a newer request was sent are dropped.
pub struct Loader<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    again: Trigger,
}

impl<T: Send + Sync + 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loader<T> {}

impl<T: Send + Sync + 'static> Loader<T> {
    /// Starts loading (in the next microtask). Signals read by `fetch` itself (not inside its
    /// future) are dependencies: when one changes, the loader asks again.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new(None);
        let again = Trigger::new();
        let latest = Rc::new(Cell::new(0u32));
        track_and_run(Rc::new(move || {
            again.track();
            let future = fetch();
            let mine = latest.get().wrapping_add(1);
            latest.set(mine);
            let latest = Rc::clone(&latest);
            spawn_local(async move {
                let answer = future.await;
                if latest.get() == mine {
                    // `try_`: the component may be gone by the time the answer arrives.
                    value.try_set(Some(answer));
                }
            });
        }));
        Loader { value, again }
    }

    /// Asks again; the current answer stays until the new one arrives.
    pub fn refetch(&self) {
        self.again.notify();
    }

    /// Reads the latest answer without cloning it (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with(f)
    }
}

impl<T: Clone + Send + Sync + 'static> Loader<T> {
    /// The latest answer (tracked), `None` before the first.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }
}

/// Runs `start` (in the next microtask) and again whenever a signal it read changes, until the
/// owner is disposed. Not generic, so every loader shares this one effect.
fn track_and_run(start: Rc<dyn Fn()>) {
    Effect::new(move |_| start());
}

/// Runs a change sent to the API (a lighter `Action`), with `pending` true while it runs.
pub fn run_pending(pending: RwSignal<bool>, change: impl Future<Output = ()> + 'static) {
    pending.set(true);
    spawn_local(async move {
        change.await;
        pending.try_set(false);
    });
}

/// What a region shows until its first answer arrives.
pub fn loading(text: &str) -> AnyView {
    let text = text.to_string();
    view! { <p class="nhsuk-body" role="status">{text}</p> }.into_any()
}
