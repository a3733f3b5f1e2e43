//! Seed files (API.md, Seed file) and the built-in demo network.
//!
//! A seed is decoded strictly (unknown fields refused) and then replayed through the domain
//! rules by `state::world_from_seed`, which names the first bad entry; the server never starts
//! half-loaded.

use serde::Deserialize;

use domain::wire::{Answer, RequestKind, RequestStatus, Role, ShareState, Sharing};

/// The built-in demo network (`--seed demo`): the story of the collaboration guide.
pub const DEMO_SEED: &str = include_str!("../seed/demo.json");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    pub organisations: Vec<SeedOrganisation>,
    pub users: Vec<SeedUser>,
    pub groups: Vec<SeedGroup>,
    pub patients: Vec<SeedPatient>,
    pub requests: Vec<SeedRequest>,
    #[serde(default)]
    pub shares: Vec<SeedShare>,
    #[serde(default)]
    pub agreements: Vec<SeedAgreement>,
    #[serde(default)]
    pub covers: Vec<SeedCovers>,
    #[serde(default)]
    pub directory: Option<SeedDirectory>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrganisation {
    pub ods_code: String,
    pub name: String,
    pub kind: String,
    pub postcode: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub ods_code: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub id: String,
    pub name: String,
    pub ods_code: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPatient {
    pub id: String,
    pub name: String,
    pub nhs_number: String,
    pub date_of_birth: String,
    pub sharing: Sharing,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRequest {
    pub id: String,
    pub ods_code: String,
    pub patient_id: String,
    pub kind: RequestKind,
    pub subject: String,
    pub message: String,
    pub received_at: String,
    #[serde(default)]
    pub assignments: Vec<SeedAssignment>,
    #[serde(default)]
    pub status: Option<RequestStatus>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAssignment {
    pub by_user_id: String,
    pub target_id: String,
    #[serde(default)]
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedShare {
    pub target_id: String,
    pub partner_ods_code: String,
    pub restricted: bool,
    pub state: ShareState,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAgreement {
    pub ods_code: String,
    pub partner_ods_code: String,
    pub reference: String,
    #[serde(default)]
    pub partner_answer: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCovers {
    pub user_id: String,
    pub folder_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDirectory {
    pub generate: usize,
}

/// The largest `directory.generate` accepted (memory stays in the hundreds of MB).
pub const MAX_GENERATED: usize = 1_000_000;

impl SeedFile {
    /// Decodes a seed file; the error names the line, column and field at fault.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let seed: SeedFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            format!("seed entry {path}: {}", e.into_inner())
        })?;
        de.end().map_err(|e| format!("seed: {e}"))?;
        if let Some(d) = &seed.directory {
            if d.generate > MAX_GENERATED {
                return Err(format!(
                    "seed entry directory.generate: at most {MAX_GENERATED}, not {}",
                    d.generate
                ));
            }
        }
        Ok(seed)
    }

    /// The built-in demo network.
    pub fn demo() -> Result<Self, String> {
        Self::parse(DEMO_SEED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_seed_decodes() {
        let seed = SeedFile::demo().expect("demo seed decodes");
        assert!(seed
            .organisations
            .iter()
            .any(|o| o.name == "Camelia Surgery"));
        assert!(seed.directory.is_some_and(|d| d.generate >= 20_000));
    }

    #[test]
    fn an_unknown_field_is_refused_with_its_path() {
        let text = r#"{"organisations":[{"ods_code":"A81001","name":"X","kind":"gp_practice",
            "postcode":"TS1 1AA","active":true,"colour":"red"}],
            "users":[],"groups":[],"patients":[],"requests":[]}"#;
        let e = SeedFile::parse(text).expect_err("unknown field");
        assert!(e.contains("organisations[0]"), "{e}");
        assert!(e.contains("colour"), "{e}");
    }
}
