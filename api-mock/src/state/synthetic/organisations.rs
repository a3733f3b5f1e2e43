//! The synthetic national directory: deterministic organisations with plausible codes, names
//! and postcodes, for a seed's `directory.generate`.

use std::collections::HashSet;

use domain::wire::Organisation;

use crate::rng::SplitMix64;

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
}
