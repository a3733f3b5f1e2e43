//! The directory search behind the combobox: what it answered, the scheduling of at most one
//! search in flight (see the module above), and the marking of matched text.

use domain::text;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api;
use domain::wire::Organisation;

/// How many organisations one search lists.
const LIMIT: u32 = 10;

/// What the search has answered, for the query it was sent with.
#[derive(Clone, Debug, PartialEq)]
pub enum Search {
    /// Nothing, or fewer than two characters, typed.
    Idle,
    /// The answer to `query`.
    Done {
        query: String,
        results: Vec<Organisation>,
    },
    /// The search for `query` failed; Retry sends it again.
    Failed { query: String, message: String },
}

/// Splits `text` into runs, marking (true) the parts that the directory search matched: for a
/// name, the start of each word that a word of the query is (`domain::text`, the server's own
/// word splitting and case folding); for an ODS code, the prefix equal to the query (API.md).
pub fn marked(text: &str, query: &str, is_code: bool) -> Vec<(String, bool)> {
    let ranges = if is_code {
        code_prefix(text, query.trim())
            .map(|end| 0..end)
            .into_iter()
            .collect()
    } else {
        text::matched_ranges(text, query)
    };
    let mut runs = Vec::new();
    let mut at = 0;
    for range in ranges {
        if range.start > at {
            runs.push((text[at..range.start].to_string(), false));
        }
        runs.push((text[range.clone()].to_string(), true));
        at = range.end;
    }
    if at < text.len() || runs.is_empty() {
        runs.push((text[at..].to_string(), false));
    }
    runs
}

/// The length in bytes of the start of `code` that equals `prefix` ignoring case, if any.
fn code_prefix(code: &str, prefix: &str) -> Option<usize> {
    let n = prefix.chars().count();
    if n == 0 {
        return None;
    }
    let end = code.char_indices().nth(n).map_or(code.len(), |(i, _)| i);
    let head = &code[..end];
    (head.chars().count() == n && text::fold(head) == text::fold(prefix)).then_some(end)
}

/// The search scheduling of one combobox: every handle is a signal or stored value, so the
/// whole thing is `Copy` and can be moved into event handlers and into its own answers.
#[derive(Clone, Copy)]
pub struct Searcher {
    /// Bumped when what is on the way becomes irrelevant (box cleared, combobox gone).
    seq: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    /// The newest text typed while a search was in flight.
    pending: StoredValue<Option<String>>,
    /// The combobox's owner: a search belongs to it and is cancelled with it.
    owner: StoredValue<Option<Owner>>,
    pub search: RwSignal<Search>,
    pub loading: RwSignal<bool>,
    pub expanded: RwSignal<bool>,
    pub active: RwSignal<Option<usize>>,
}

impl Searcher {
    /// A searcher owned by the component being built.
    pub fn new() -> Searcher {
        Searcher {
            seq: StoredValue::new(0),
            in_flight: StoredValue::new(false),
            pending: StoredValue::new(None),
            owner: StoredValue::new(Owner::current()),
            search: RwSignal::new(Search::Idle),
            loading: RwSignal::new(false),
            expanded: RwSignal::new(false),
            active: RwSignal::new(None),
        }
    }
}

impl Searcher {
    /// Searches `query` now, or as soon as the search in flight has answered.
    pub fn request(self, query: String) {
        if self.in_flight.try_get_value().unwrap_or(false) {
            self.pending.try_set_value(Some(query));
            return;
        }
        self.send(query);
    }

    fn send(self, query: String) {
        let Some(mine) = self.seq.try_get_value() else {
            return;
        };
        let Some(Some(owner)) = self.owner.try_get_value() else {
            return;
        };
        self.in_flight.set_value(true);
        self.loading.set(true);
        let call = owner.with(|| api::search_organisations(&query, LIMIT));
        owner.with(|| {
            spawn_local_scoped_with_cancellation(async move {
                let answer = call.await;
                // `try_` forms: the combobox may be gone (its dialog closed mid-search).
                self.in_flight.try_set_value(false);
                if let Some(Some(newer)) = self.pending.try_update_value(Option::take) {
                    // Typing went on meanwhile: this answer is stale, the newest text is not.
                    self.send(newer);
                    return;
                }
                if self.seq.try_get_value() != Some(mine) {
                    return;
                }
                self.loading.set(false);
                match answer {
                    Ok(found) => {
                        self.active.set(None);
                        self.expanded.set(!found.results.is_empty());
                        self.search.set(Search::Done {
                            query,
                            results: found.results,
                        });
                    }
                    Err(e) => {
                        self.expanded.set(false);
                        self.search.set(Search::Failed {
                            query,
                            message: e.user_message(),
                        });
                    }
                }
            })
        });
    }

    /// Forgets the search on its way and any text waiting for it.
    pub fn cancel(self) {
        self.seq.try_update_value(|s| *s += 1);
        self.pending.try_set_value(None);
        self.loading.try_set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::marked;

    fn hits(runs: &[(String, bool)]) -> Vec<&str> {
        runs.iter()
            .filter(|(_, hit)| *hit)
            .map(|(t, _)| t.as_str())
            .collect()
    }

    #[test]
    fn every_query_word_marks_the_start_of_a_name_word() {
        let runs = marked("Riverside Medical Practice", "riv med", false);
        assert_eq!(hits(&runs), vec!["Riv", "Med"]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "Riverside Medical Practice");
    }

    #[test]
    fn an_ods_code_is_marked_by_its_prefix() {
        assert_eq!(hits(&marked("A81001", "a810", true)), vec!["A810"]);
        assert!(hits(&marked("A81001", "810", true)).is_empty());
    }

    #[test]
    fn text_without_a_match_is_one_plain_run() {
        assert_eq!(
            marked("Camelia Surgery", "zz", false),
            vec![("Camelia Surgery".to_string(), false)]
        );
    }

    #[test]
    fn words_split_at_punctuation_and_fold_beyond_ascii_like_the_server_search() {
        assert_eq!(
            hits(&marked("Hartley-Smith Surgery", "smith", false)),
            vec!["Smith"]
        );
        assert_eq!(
            hits(&marked("ZOË Health Centre", "zoë", false)),
            vec!["ZOË"]
        );
    }

    #[test]
    fn a_match_inside_a_word_is_not_marked() {
        assert!(hits(&marked("Camelia Surgery", "urg", false)).is_empty());
    }
}
