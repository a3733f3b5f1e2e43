//! Lists keyed by the row's id, with reactive rows: the `<For>` of a list keys each row by its
//! id, and what a reload changes in a row reaches it through the row's own signal, so the row
//! (and the control in it that has keyboard focus) stays in place (STYLE.md "Lists"). The wire
//! types live in `domain`, which knows nothing of Leptos, so rather than deriving a
//! `reactive_stores::Store` for them each row holds its value in a signal of its own.

use std::collections::HashMap;

use leptos::prelude::*;

/// One row of a keyed list: its id (the `<For>` key) and its value, updated in place.
#[derive(Clone)]
pub struct Row<T: Send + Sync + 'static> {
    pub id: String,
    pub value: ArcRwSignal<T>,
}

/// Two rows with the same id are the same row (the same signal).
impl<T: Send + Sync + 'static> PartialEq for Row<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// The rows of `source` (tracked) keyed by `id`: a row whose id was there before keeps its
/// signal, which is set only when its value changed; new ids get a new row, gone ids are
/// dropped. The list itself changes only when ids come, go or move, so `<For>` touches only
/// those rows.
pub fn keyed<T>(
    source: impl Fn() -> Vec<T> + Send + Sync + 'static,
    id: impl Fn(&T) -> String + Send + Sync + 'static,
) -> Memo<Vec<Row<T>>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let cache: StoredValue<HashMap<String, ArcRwSignal<T>>> = StoredValue::new(HashMap::new());
    Memo::new(move |_| {
        let items = source();
        let mut next = HashMap::with_capacity(items.len());
        let rows = items
            .into_iter()
            .map(|item| {
                let key = id(&item);
                let value = match cache.with_value(|c| c.get(&key).cloned()) {
                    Some(value) => {
                        if value.with_untracked(|v| *v != item) {
                            value.set(item);
                        }
                        value
                    }
                    None => ArcRwSignal::new(item),
                };
                next.insert(key.clone(), value.clone());
                Row { id: key, value }
            })
            .collect();
        cache.set_value(next);
        rows
    })
}
