//! How names are searched, shared by the directory search of the server and the client's
//! filters and match highlighting, so that what the client marks is what the server matched.
//!
//! Case folds for every language (Rust's `to_lowercase`, so `ZOË` is `zoë` and `ÅSA` is `åsa`),
//! and words are runs of letters and digits: apostrophes join (`St Mary's` is `st`, `marys`),
//! everything else separates (`Hartley-Smith & Co` is `hartley`, `smith`, `co`).

use std::ops::Range;

/// Text folded for comparison: lower case in every script.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Whether `needle` occurs in `haystack`, ignoring case (a filter box). An empty needle
/// matches everything.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

fn joins(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The words of a name or query, folded (see the module's documentation).
pub fn words_of(text: &str) -> Vec<String> {
    word_spans(text)
        .into_iter()
        .map(|span| folded_word(&text[span]))
        .collect()
}

fn folded_word(raw: &str) -> String {
    raw.chars()
        .filter(|c| !joins(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each word of `text` lies, as byte ranges of `text` (apostrophes inside a word are
/// part of its range).
pub fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            end = i + c.len_utf8();
        } else if joins(c) && start.is_some() {
            continue;
        } else if let Some(s) = start.take() {
            spans.push(s..end);
        }
    }
    if let Some(s) = start {
        spans.push(s..end);
    }
    spans
}

/// The byte length of the shortest prefix of `raw` (one word of a name) whose folded form is
/// `folded_prefix`, if there is one.
fn prefix_bytes(raw: &str, folded_prefix: &str) -> Option<usize> {
    if folded_prefix.is_empty() {
        return None;
    }
    let mut folded = String::new();
    for (i, c) in raw.char_indices() {
        if !joins(c) {
            folded.extend(c.to_lowercase());
        }
        if folded == folded_prefix {
            return Some(i + c.len_utf8());
        }
        if !folded_prefix.starts_with(folded.as_str()) {
            return None;
        }
    }
    None
}

/// The parts of `name` that a directory search for `query` matched: in each word of the name,
/// the longest start that a word of the query is (ignoring case), as byte ranges of `name`
/// in order. Typing `smith` marks `Smith` in `Hartley-Smith`; `zoë` marks `ZOË`.
pub fn matched_ranges(name: &str, query: &str) -> Vec<Range<usize>> {
    let query_words = words_of(query);
    word_spans(name)
        .into_iter()
        .filter_map(|span| {
            let raw = &name[span.clone()];
            query_words
                .iter()
                .filter_map(|w| prefix_bytes(raw, w))
                .max()
                .map(|len| span.start..span.start + len)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(name: &'a str, query: &str) -> Vec<&'a str> {
        matched_ranges(name, query)
            .into_iter()
            .map(|r| &name[r])
            .collect()
    }

    #[test]
    fn punctuation_separates_words_and_apostrophes_join_them() {
        assert_eq!(
            words_of("Hartley-Smith & Co"),
            vec!["hartley", "smith", "co"]
        );
        assert_eq!(words_of("St Mary's (Leeds)"), vec!["st", "marys", "leeds"]);
        assert_eq!(words_of("  "), Vec::<String>::new());
    }

    #[test]
    fn case_folds_beyond_ascii() {
        assert_eq!(words_of("ZOË Ødegård"), vec!["zoë", "ødegård"]);
        assert!(contains_folded("Dr ZOË Hartley", "zoë"));
        assert!(contains_folded("ÅSA BERG", "åsa"));
        assert!(!contains_folded("Zoe", "zoë"));
    }

    #[test]
    fn a_query_word_marks_the_start_of_a_word_after_punctuation() {
        assert_eq!(marked("Hartley-Smith Surgery", "smith"), vec!["Smith"]);
        assert_eq!(
            marked("Hartley-Smith Surgery", "har sur"),
            vec!["Har", "Sur"]
        );
    }

    #[test]
    fn non_ascii_letters_are_marked_whatever_their_case() {
        assert_eq!(marked("ZOË Practice", "zoë"), vec!["ZOË"]);
        assert_eq!(marked("Ærø Health Centre", "ærø"), vec!["Ærø"]);
        assert_eq!(marked("Çelik Clinic", "çel"), vec!["Çel"]);
    }

    #[test]
    fn an_apostrophe_inside_a_word_is_marked_with_it() {
        assert_eq!(marked("St Mary's Hospital", "marys"), vec!["Mary's"]);
    }

    #[test]
    fn a_match_inside_a_word_is_not_marked() {
        assert!(marked("Camelia Surgery", "urg").is_empty());
        assert!(marked("Camelia Surgery", "").is_empty());
    }

    #[test]
    fn the_longest_query_word_wins() {
        assert_eq!(marked("Riverside", "r riv"), vec!["Riv"]);
    }
}
