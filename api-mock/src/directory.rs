//! The organisation directory: the search index behind `GET /api/organisations` (API.md,
//! Directory). The synthetic national directory (`directory.generate`) is generated in
//! `state::synthetic`.
//!
//! The index is built once at start, so a query never scans every name:
//! - codes: the upper-case ODS codes, sorted; an exact or prefix match is a binary search for
//!   the start of a range.
//! - words: one `(word, name rank)` entry per word of each name, sorted; each query word selects
//!   the range of entries it is a prefix of. The smallest range gives the candidates, which are
//!   checked against the other query words with their own (short) word lists, and the best
//!   `limit` by name rank are kept with a bounded sorted insert: no sort of all matches.

use std::collections::HashSet;

use domain::wire::Organisation;

/// The search index over a fixed list of organisations.
#[derive(Debug, Default)]
pub struct Directory {
    /// Organisations in name order (the rank is the position), so results come out ordered.
    orgs: Vec<Organisation>,
    /// `(upper-case code, rank)`, sorted by code.
    codes: Vec<(Box<str>, u32)>,
    /// `(lower-case word, rank)`, sorted.
    words: Vec<(Box<str>, u32)>,
    /// The words of each name, by rank.
    name_words: Vec<Box<[Box<str>]>>,
}

/// The words of a name or query, as `domain::text` splits them (shared with the client's
/// match highlighting).
pub use domain::text::words_of;

/// The range of a sorted `(key, _)` slice whose keys start with `prefix`.
fn prefix_range(entries: &[(Box<str>, u32)], prefix: &str) -> std::ops::Range<usize> {
    let start = entries.partition_point(|(k, _)| &**k < prefix);
    let len = entries[start..].partition_point(|(k, _)| k.starts_with(prefix));
    start..start + len
}

impl Directory {
    /// Builds the index; organisations are deduplicated by code (the first wins).
    pub fn new(orgs: impl IntoIterator<Item = Organisation>) -> Self {
        let mut seen = HashSet::new();
        let mut keyed: Vec<(String, Organisation)> = orgs
            .into_iter()
            .filter(|o| seen.insert(o.ods_code.to_uppercase()))
            .map(|o| (o.name.to_lowercase(), o))
            .collect();
        keyed.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.ods_code.cmp(&y.ods_code)));
        let orgs: Vec<Organisation> = keyed.into_iter().map(|(_, o)| o).collect();

        let mut codes = Vec::with_capacity(orgs.len());
        let mut words = Vec::with_capacity(orgs.len() * 3);
        let mut name_words = Vec::with_capacity(orgs.len());
        for (rank, org) in orgs.iter().enumerate() {
            let rank = rank as u32;
            codes.push((org.ods_code.to_uppercase().into_boxed_str(), rank));
            let ws: Vec<Box<str>> = words_of(&org.name)
                .into_iter()
                .map(String::into_boxed_str)
                .collect();
            for w in &ws {
                words.push((w.clone(), rank));
            }
            name_words.push(ws.into_boxed_slice());
        }
        codes.sort_unstable();
        words.sort_unstable();
        words.dedup();
        Self {
            orgs,
            codes,
            words,
            name_words,
        }
    }

    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }

    /// The organisation with this code (case-insensitive).
    pub fn get(&self, ods_code: &str) -> Option<&Organisation> {
        let upper = ods_code.to_uppercase();
        let i = self.codes.partition_point(|(k, _)| &**k < upper.as_str());
        match self.codes.get(i) {
            Some((k, rank)) if **k == *upper => self.orgs.get(*rank as usize),
            _ => None,
        }
    }

    /// API.md search: codes (exact, then prefix, by code), then names (every query word a prefix
    /// of a word of the name; by name, then code), case-insensitive, without repeats, at most
    /// `limit`. A query shorter than 2 characters after trimming finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Organisation> {
        let query = query.trim();
        if query.chars().count() < 2 || limit == 0 {
            return Vec::new();
        }
        let mut ranks: Vec<u32> = Vec::with_capacity(limit);

        // Codes: the exact match sorts first within its own prefix range.
        let upper = query.to_uppercase();
        let range = prefix_range(&self.codes, &upper);
        ranks.extend(self.codes[range].iter().take(limit).map(|(_, r)| *r));

        let wanted = limit - ranks.len();
        let qwords = words_of(query);
        if wanted > 0 && !qwords.is_empty() {
            let ranges: Vec<_> = qwords
                .iter()
                .map(|w| prefix_range(&self.words, w))
                .collect();
            let Some((smallest, _)) = ranges.iter().enumerate().min_by_key(|(_, r)| r.len()) else {
                return Vec::new();
            };
            // Keep the best `limit` (code matches may still be among them) by rank.
            let cap = limit;
            let mut best: Vec<u32> = Vec::with_capacity(cap + 1);
            for (_, rank) in &self.words[ranges[smallest].clone()] {
                let rank = *rank;
                if best.len() == cap && best.last().is_some_and(|last| rank >= *last) {
                    continue;
                }
                let Err(pos) = best.binary_search(&rank) else {
                    continue;
                };
                let name = &self.name_words[rank as usize];
                let all_match = qwords.iter().enumerate().all(|(i, qw)| {
                    i == smallest || name.iter().any(|w| w.starts_with(qw.as_str()))
                });
                if all_match {
                    best.insert(pos, rank);
                    best.truncate(cap);
                }
            }
            let code_matches: Vec<u32> = ranks.clone();
            ranks.extend(
                best.into_iter()
                    .filter(|r| !code_matches.contains(r))
                    .take(wanted),
            );
        }
        ranks
            .into_iter()
            .filter_map(|r| self.orgs.get(r as usize))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::synthetic::KIND_PRACTICE;

    fn org(code: &str, name: &str) -> Organisation {
        Organisation {
            ods_code: code.into(),
            name: name.into(),
            kind: KIND_PRACTICE.into(),
            postcode: "TS18 1HU".into(),
            active: true,
        }
    }

    fn codes(found: Vec<&Organisation>) -> Vec<&str> {
        found.into_iter().map(|o| o.ods_code.as_str()).collect()
    }

    fn sample() -> Directory {
        Directory::new(vec![
            org("A81002", "Riverside Medical Practice"),
            org("A81001", "Camelia Surgery"),
            org("A81010", "St Mary's Surgery"),
            org("U12345", "North Tees PCN"),
            org("FA123", "Hartley Pharmacy"),
            org("B81001", "Camelia Medical Centre"),
            org("A8", "A8 Test"),
        ])
    }

    #[test]
    fn an_exact_code_comes_before_prefix_matches_and_then_names() {
        let d = sample();
        assert_eq!(
            codes(d.search("a81001", 10)),
            vec!["A81001"],
            "exact code first, nothing else starts with it"
        );
        assert_eq!(
            codes(d.search("A81", 10)),
            vec!["A81001", "A81002", "A81010"]
        );
        // "A8" is both an exact code and a prefix; the name "A8 Test" is not repeated.
        assert_eq!(
            codes(d.search("a8", 10)),
            vec!["A8", "A81001", "A81002", "A81010"]
        );
    }

    #[test]
    fn every_query_word_must_prefix_a_word_of_the_name() {
        let d = sample();
        assert_eq!(codes(d.search("camel", 10)), vec!["B81001", "A81001"]);
        assert_eq!(codes(d.search("surg cam", 10)), vec!["A81001"]);
        assert_eq!(codes(d.search("  CAMELIA   SURGERY ", 10)), vec!["A81001"]);
        assert_eq!(codes(d.search("marys", 10)), vec!["A81010"]);
        assert!(d.search("camelia pharmacy", 10).is_empty());
        assert!(
            d.search("amelia", 10).is_empty(),
            "prefix of a word, not infix"
        );
    }

    #[test]
    fn short_queries_find_nothing_and_limit_caps_results() {
        let d = sample();
        assert!(d.search(" c ", 10).is_empty());
        assert!(d.search("", 10).is_empty());
        assert_eq!(d.search("a81", 2).len(), 2);
    }

    #[test]
    fn search_agrees_with_a_naive_scan_on_a_generated_directory() {
        let orgs = crate::state::synthetic::generate(3_000, &HashSet::new());
        let d = Directory::new(orgs.clone());
        for q in [
            "stock",
            "st",
            "medical cen",
            "FA",
            "u1",
            "north pcn",
            "oak care",
            "ha",
        ] {
            let got = codes(d.search(q, 50));
            // The naive definition, by the letter of API.md.
            let upper = q.trim().to_uppercase();
            let mut by_code: Vec<&Organisation> = orgs
                .iter()
                .filter(|o| o.ods_code.starts_with(&upper))
                .collect();
            by_code.sort_by(|a, b| a.ods_code.cmp(&b.ods_code));
            let qw = words_of(q);
            let mut by_name: Vec<&Organisation> = orgs
                .iter()
                .filter(|o| {
                    let nw = words_of(&o.name);
                    !qw.is_empty() && qw.iter().all(|w| nw.iter().any(|n| n.starts_with(w)))
                })
                .filter(|o| !o.ods_code.starts_with(&upper))
                .collect();
            by_name.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then_with(|| a.ods_code.cmp(&b.ods_code))
            });
            let want: Vec<&str> = by_code
                .into_iter()
                .chain(by_name)
                .take(50)
                .map(|o| o.ods_code.as_str())
                .collect();
            assert_eq!(got, want, "query {q:?}");
        }
    }
}
