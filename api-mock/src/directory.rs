//! The organisation directory: a deterministic national-scale generator (`directory.generate`)
//! and the search index behind `GET /api/organisations` (API.md, Directory).
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

use crate::rng::SplitMix64;

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

// ---------------------------------------------------------------------------------------------
// The synthetic national directory
// ---------------------------------------------------------------------------------------------

/// Towns with their postcode area, so names and postcodes agree.
const TOWNS: &[(&str, &str)] = &[
    ("Stockton", "TS"),
    ("Middlesbrough", "TS"),
    ("Hartlepool", "TS"),
    ("Darlington", "DL"),
    ("Durham", "DH"),
    ("Sunderland", "SR"),
    ("Gateshead", "NE"),
    ("Newcastle", "NE"),
    ("Hexham", "NE"),
    ("Carlisle", "CA"),
    ("Kendal", "LA"),
    ("Lancaster", "LA"),
    ("Preston", "PR"),
    ("Blackburn", "BB"),
    ("Burnley", "BB"),
    ("Bolton", "BL"),
    ("Wigan", "WN"),
    ("Salford", "M"),
    ("Manchester", "M"),
    ("Stockport", "SK"),
    ("Oldham", "OL"),
    ("Rochdale", "OL"),
    ("Leeds", "LS"),
    ("Bradford", "BD"),
    ("Halifax", "HX"),
    ("Huddersfield", "HD"),
    ("Wakefield", "WF"),
    ("York", "YO"),
    ("Harrogate", "HG"),
    ("Scarborough", "YO"),
    ("Hull", "HU"),
    ("Sheffield", "S"),
    ("Rotherham", "S"),
    ("Doncaster", "DN"),
    ("Lincoln", "LN"),
    ("Nottingham", "NG"),
    ("Derby", "DE"),
    ("Leicester", "LE"),
    ("Loughborough", "LE"),
    ("Northampton", "NN"),
    ("Coventry", "CV"),
    ("Warwick", "CV"),
    ("Birmingham", "B"),
    ("Solihull", "B"),
    ("Wolverhampton", "WV"),
    ("Walsall", "WS"),
    ("Stafford", "ST"),
    ("Stoke", "ST"),
    ("Shrewsbury", "SY"),
    ("Hereford", "HR"),
    ("Worcester", "WR"),
    ("Gloucester", "GL"),
    ("Cheltenham", "GL"),
    ("Oxford", "OX"),
    ("Banbury", "OX"),
    ("Reading", "RG"),
    ("Swindon", "SN"),
    ("Bath", "BA"),
    ("Bristol", "BS"),
    ("Taunton", "TA"),
    ("Exeter", "EX"),
    ("Plymouth", "PL"),
    ("Truro", "TR"),
    ("Bournemouth", "BH"),
    ("Salisbury", "SP"),
    ("Southampton", "SO"),
    ("Portsmouth", "PO"),
    ("Guildford", "GU"),
    ("Brighton", "BN"),
    ("Eastbourne", "BN"),
    ("Canterbury", "CT"),
    ("Maidstone", "ME"),
    ("Tunbridge Wells", "TN"),
    ("Croydon", "CR"),
    ("Bromley", "BR"),
    ("Kingston", "KT"),
    ("Harrow", "HA"),
    ("Enfield", "EN"),
    ("Ilford", "IG"),
    ("Romford", "RM"),
    ("Chelmsford", "CM"),
    ("Colchester", "CO"),
    ("Ipswich", "IP"),
    ("Norwich", "NR"),
    ("Cambridge", "CB"),
    ("Peterborough", "PE"),
    ("Bedford", "MK"),
    ("Luton", "LU"),
    ("Watford", "WD"),
    ("St Albans", "AL"),
    ("Stevenage", "SG"),
    ("Chester", "CH"),
    ("Warrington", "WA"),
    ("Liverpool", "L"),
    ("Birkenhead", "CH"),
    ("Southport", "PR"),
];

const STREETS: &[&str] = &[
    "Abbey Road",
    "Albert Road",
    "Alexandra",
    "Ashfield",
    "Beech Grove",
    "Bridge Street",
    "Brook Lane",
    "Castle Street",
    "Chapel Street",
    "Church Lane",
    "Church View",
    "Clarendon",
    "Coronation Road",
    "Elm Tree",
    "Fairfield",
    "Forest Road",
    "Grange Road",
    "Greenbank",
    "Hall Lane",
    "Highfield",
    "High Street",
    "Hillside",
    "Holly Bank",
    "King Street",
    "Lakeside",
    "London Road",
    "Manor Road",
    "Market Place",
    "Meadowbank",
    "Mill Lane",
    "New Road",
    "Northgate",
    "Oakwood",
    "Orchard",
    "Park Road",
    "Priory",
    "Queen's Road",
    "Riverside",
    "St Mary's",
    "St John's",
    "St Andrew's",
    "Station Road",
    "The Green",
    "Victoria Road",
    "Westfield",
    "Willow Bank",
    "Windmill",
    "Woodlands",
];

const SURNAMES: &[&str] = &[
    "Ahmed",
    "Atkinson",
    "Bailey",
    "Bennett",
    "Chaudhry",
    "Clarke",
    "Collins",
    "Cooper",
    "Davies",
    "Dixon",
    "Edwards",
    "Evans",
    "Fletcher",
    "Foster",
    "Graham",
    "Green",
    "Hall",
    "Harrison",
    "Hughes",
    "Hussain",
    "Jackson",
    "Johnson",
    "Kaur",
    "Khan",
    "Lewis",
    "Marshall",
    "Mason",
    "Mistry",
    "Morgan",
    "Murphy",
    "Nolan",
    "Okafor",
    "Owen",
    "Palmer",
    "Patel",
    "Phillips",
    "Price",
    "Reid",
    "Richardson",
    "Robinson",
    "Shah",
    "Singh",
    "Stewart",
    "Taylor",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "Wright",
];

const TREES: &[&str] = &[
    "Ash", "Beech", "Birch", "Cedar", "Cherry", "Elm", "Hawthorn", "Hazel", "Holly", "Laurel",
    "Maple", "Oak", "Rowan", "Sycamore", "Willow", "Yew",
];

const DIRECTIONS: &[&str] = &[
    "North", "South", "East", "West", "Central", "Rural", "Coastal",
];

/// The organisation kinds of the synthetic directory, as the seed file spells them.
pub const KIND_PRACTICE: &str = "gp_practice";
pub const KIND_PCN: &str = "pcn";
pub const KIND_PHARMACY: &str = "pharmacy";
pub const KIND_CARE_HOME: &str = "care_home";
pub const KIND_HUB: &str = "extended_hours_hub";
pub const KIND_COMMUNITY: &str = "community_service";

fn digits(rng: &mut SplitMix64, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

fn letter(rng: &mut SplitMix64) -> char {
    char::from(b'A' + rng.below(26) as u8)
}

fn alnum(rng: &mut SplitMix64) -> char {
    let i = rng.below(36) as u8;
    if i < 10 {
        char::from(b'0' + i)
    } else {
        char::from(b'A' + i - 10)
    }
}

/// A postcode in the town's area: `TS18 1HU`.
fn postcode(rng: &mut SplitMix64, area: &str) -> String {
    // Inward-code letters never use C, I, K, M, O or V.
    const UNIT: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let district = 1 + rng.below(29);
    let sector = rng.below(10);
    let u1 = char::from(UNIT[rng.below(UNIT.len())]);
    let u2 = char::from(UNIT[rng.below(UNIT.len())]);
    format!("{area}{district} {sector}{u1}{u2}")
}

/// One synthetic organisation (its code may collide: the caller retries).
fn synthetic(rng: &mut SplitMix64) -> Organisation {
    let (town, area) = *rng.pick(TOWNS);
    let street = *rng.pick(STREETS);
    let surname = *rng.pick(SURNAMES);
    let tree = *rng.pick(TREES);
    let roll = rng.below(100);
    let (kind, ods_code, name) = if roll < 35 {
        // GP practices: a region letter and five digits, like A81001.
        let region = char::from(b'A' + rng.below(25) as u8);
        let code = format!("{region}{}", digits(rng, 5));
        let name = match rng.below(8) {
            0 => format!("{town} Medical Centre"),
            1 => format!("{street} Surgery"),
            2 => format!("{town} Health Centre"),
            3 => format!("The {street} Practice"),
            4 => format!("Dr {surname} and Partners"),
            5 => format!("{town} Family Practice"),
            6 => format!("{street} Medical Practice"),
            _ => format!("{tree} Tree Surgery"),
        };
        (KIND_PRACTICE, code, name)
    } else if roll < 67 {
        // Pharmacies: F and four letters or digits, like FA123.
        let code = format!("F{}{}{}{}", letter(rng), alnum(rng), alnum(rng), alnum(rng));
        let name = match rng.below(5) {
            0 => format!("{surname} Pharmacy"),
            1 => format!("{town} Pharmacy"),
            2 => format!("{street} Chemist"),
            3 => format!("{surname} Chemists {town}"),
            _ => format!("{town} Late Night Pharmacy"),
        };
        (KIND_PHARMACY, code, name)
    } else if roll < 75 {
        // Primary Care Networks: U and five digits.
        let code = format!("U{}", digits(rng, 5));
        let name = match rng.below(4) {
            0 => format!("{town} PCN"),
            1 => format!("{} {town} PCN", rng.pick(DIRECTIONS)),
            2 => {
                let (other, _) = *rng.pick(TOWNS);
                format!("{town} and {other} PCN")
            }
            _ => format!("{town} {street} PCN"),
        };
        (KIND_PCN, code, name)
    } else if roll < 86 {
        // Care homes: V, a letter and four digits.
        let code = format!("V{}{}", letter(rng), digits(rng, 4));
        let name = match rng.below(4) {
            0 => format!("{tree} House Care Home"),
            1 => format!("{street} Lodge"),
            2 => format!("{tree} Court Nursing Home"),
            _ => format!("{town} {tree} Care Home"),
        };
        (KIND_CARE_HOME, code, name)
    } else if roll < 91 {
        // Extended-hours hubs: Y and five digits.
        let code = format!("Y{}", digits(rng, 5));
        let name = match rng.below(2) {
            0 => format!("{town} Extended Access Hub"),
            _ => format!("{town} Extended Hours Hub"),
        };
        (KIND_HUB, code, name)
    } else {
        // Community services of a trust: R, two letters or digits, two digits.
        let code = format!("R{}{}{}", alnum(rng), alnum(rng), digits(rng, 2));
        let name = match rng.below(5) {
            0 => format!("{town} Community Frailty Service"),
            1 => format!("{town} District Nursing Team"),
            2 => format!("{town} Community Hospital"),
            3 => format!("{town} Rapid Response Team"),
            _ => format!(
                "{} {town} Community Mental Health Team",
                rng.pick(DIRECTIONS)
            ),
        };
        (KIND_COMMUNITY, code, name)
    };
    let postcode = postcode(rng, area);
    // About one in twenty-five has closed: still listed, not selectable (API.md).
    let active = rng.below(25) != 0;
    Organisation {
        ods_code,
        name,
        kind: kind.to_owned(),
        postcode,
        active,
    }
}

/// `n` synthetic organisations, the same on every run, with codes distinct from each other and
/// from `taken` (the seed's own organisations). Names may repeat the seed's own: the generator
/// of data written before issue 13, kept so those files still load; new worlds use
/// [`generate_avoiding`].
pub fn generate(n: usize, taken: &HashSet<String>) -> Vec<Organisation> {
    generate_avoiding(n, taken, &HashSet::new())
}

/// [`generate`], also skipping every synthetic organisation whose name (case-folded) is one of
/// `names` (the seed's own), so the directory does not show ten "Riverside Medical Practice".
pub fn generate_avoiding(
    n: usize,
    taken: &HashSet<String>,
    names: &HashSet<String>,
) -> Vec<Organisation> {
    let mut rng = SplitMix64::new(0x00E1_6A6E_D1AE_C70B);
    let mut codes: HashSet<String> = taken.iter().map(|c| c.to_uppercase()).collect();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let org = synthetic(&mut rng);
        if names.contains(&org.name.to_lowercase()) {
            continue;
        }
        if codes.insert(org.ods_code.clone()) {
            out.push(org);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_generated_directory_is_deterministic_with_distinct_valid_codes() {
        let taken: HashSet<String> = ["A81001".to_owned()].into();
        let a = generate(5_000, &taken);
        let b = generate(5_000, &taken);
        assert_eq!(a, b);
        let distinct: HashSet<&str> = a.iter().map(|o| o.ods_code.as_str()).collect();
        assert_eq!(distinct.len(), 5_000);
        assert!(!distinct.contains("A81001"));
        for o in &a {
            assert!((3..=10).contains(&o.ods_code.len()), "{}", o.ods_code);
            assert!(o
                .ods_code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            assert!(o.postcode.contains(' '));
        }
        assert!(a.iter().any(|o| !o.active));
    }

    #[test]
    fn search_agrees_with_a_naive_scan_on_a_generated_directory() {
        let orgs = generate(3_000, &HashSet::new());
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
