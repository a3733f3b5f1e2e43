//! The synthetic data: the national-scale directory (`directory.generate` of a seed, re-created
//! at every start, never written) and `--generate-requests`.

use std::collections::HashSet;

use domain::Organisation;

use super::seeds::ods;

mod organisations;
mod requests;

pub use organisations::{
    generate, generate_avoiding, KIND_CARE_HOME, KIND_COMMUNITY, KIND_HUB, KIND_PCN, KIND_PHARMACY,
    KIND_PRACTICE,
};
pub use requests::generate_requests;

/// FNV-1a over the fields of `orgs`, with a separator byte so field boundaries count.
pub(in crate::state) fn fingerprint(orgs: &[Organisation]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for o in orgs {
        eat(o.ods_code.as_str().as_bytes());
        eat(o.name.as_bytes());
        eat(o.kind.as_bytes());
        eat(o.postcode.as_bytes());
        eat(&[u8::from(o.active)]);
    }
    format!("{hash:016x}")
}

/// The `n` generated organisations, avoiding the codes of `explicit` (as at seed time) and,
/// unless `legacy` (the generator of data written before issue 13), their names.
pub(in crate::state) fn generated_organisations(
    n: usize,
    explicit: &[Organisation],
    legacy: bool,
) -> Result<Vec<Organisation>, String> {
    let taken: HashSet<String> = explicit
        .iter()
        .map(|o| o.ods_code.as_str().to_uppercase())
        .collect();
    let names: HashSet<String> = if legacy {
        HashSet::new()
    } else {
        explicit.iter().map(|o| o.name.to_lowercase()).collect()
    };
    generate_avoiding(n, &taken, &names)
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let at = format!("directory.generate #{i} ({:?})", o.ods_code);
            Ok(Organisation {
                ods_code: ods(&at, "ods_code", &o.ods_code)?,
                name: o.name,
                kind: o.kind,
                postcode: o.postcode,
                active: o.active,
            })
        })
        .collect()
}
