//! K3: a task's success condition (API.md "Study file", COND) as a pure rule over a
//! [`World`]: the server evaluates it after every change in a sandbox and records the first
//! moment it holds. Evaluating reads the state only (a few index lookups per leaf), so it is
//! cheap enough to run after every call.

use crate::folders::FolderId;
use crate::ids::{RequestId, TargetId, UserId};
use crate::model::{HistoryAction, Override, RequestStatus, ShareState};
use crate::ods::OdsCode;
use crate::world::World;

use super::study::StudyError;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// How deep `all`, `any` and `not` may nest in one condition (a study file is refused beyond).
pub const MAX_DEPTH: usize = 12;
/// How many conditions (leaves and combinators) one task's condition may hold.
pub const MAX_NODES: usize = 256;

/// How the consent step of A3 was satisfied by the assignment that put a request where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OverrideKind {
    /// The user gave a reason (A3).
    Reason,
    /// An active agreement between the origin and the target's owner covered it (A3, D2).
    Agreement,
}

/// A success condition (K3). The JSON form is API.md's: `{"share":{…}}`, `{"no_share":{…}}`,
/// `{"request":{…}}`, `{"agreement":{…}}`, `{"covers":{…}}`, `{"all":[…]}`, `{"any":[…]}`,
/// `{"not":…}`; a field left out constrains nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
pub enum Condition {
    /// A share of `target_id` with `partner_ods_code` exists, with that restricted flag and
    /// state when given (S2, S4).
    Share {
        target_id: TargetId,
        partner_ods_code: OdsCode,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        restricted: Option<bool>,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        state: Option<ShareState>,
    },
    /// No share of `target_id` with `partner_ods_code` exists, in any state (S5).
    NoShare {
        target_id: TargetId,
        partner_ods_code: OdsCode,
    },
    /// Request `id` sits with `assignee_id` (a group or colleague), has `status`, and the
    /// assignment that put it there recorded `override` (A3), each when given.
    Request {
        id: RequestId,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        assignee_id: Option<TargetId>,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        status: Option<RequestStatus>,
        #[cfg_attr(
            feature = "serde",
            serde(default, rename = "override", skip_serializing_if = "Option::is_none")
        )]
        consent: Option<OverrideKind>,
    },
    /// An agreement between the two organisations exists (whoever proposed it: D1 allows one
    /// per pair), active or not as `active` says when given (D2).
    Agreement {
        ods_code: OdsCode,
        partner_ods_code: OdsCode,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        active: Option<bool>,
    },
    /// `user_id` covers at least the folders `includes` (C2).
    Covers {
        user_id: UserId,
        includes: Vec<FolderId>,
    },
    /// Every condition holds (true when empty).
    All(Vec<Condition>),
    /// At least one condition holds (false when empty).
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

impl Condition {
    /// `not c`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(c: Condition) -> Condition {
        Condition::Not(Box::new(c))
    }

    /// The JSON name of this kind of condition (`share`, `no_share`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::Share { .. } => "share",
            Condition::NoShare { .. } => "no_share",
            Condition::Request { .. } => "request",
            Condition::Agreement { .. } => "agreement",
            Condition::Covers { .. } => "covers",
            Condition::All(_) => "all",
            Condition::Any(_) => "any",
            Condition::Not(_) => "not",
        }
    }

    /// K3: whether the condition holds in `world`. A condition naming something that does not
    /// exist does not hold (`validate` refuses such a study at load; a `no_share` over a
    /// missing share holds).
    pub fn holds(&self, world: &World) -> bool {
        match self {
            Condition::Share {
                target_id,
                partner_ods_code,
                restricted,
                state,
            } => share_of(world, target_id, partner_ods_code).is_some_and(|(r, s)| {
                restricted.is_none_or(|want| want == r) && state.is_none_or(|want| want == s)
            }),
            Condition::NoShare {
                target_id,
                partner_ods_code,
            } => share_of(world, target_id, partner_ods_code).is_none(),
            Condition::Request {
                id,
                assignee_id,
                status,
                consent,
            } => world.request(id).is_some_and(|r| {
                let at = |t: &TargetId| matches!(&r.assignee, crate::Assignee::Target(a) if a == t);
                let how = |want: OverrideKind| {
                    // The assignment that put the request where it is: the last one.
                    let last = r
                        .history
                        .iter()
                        .rev()
                        .find(|e| e.action == HistoryAction::Assigned);
                    last.is_some_and(|e| {
                        matches!(
                            (&e.consent_override, want),
                            (Override::Reason { .. }, OverrideKind::Reason)
                                | (Override::Agreement { .. }, OverrideKind::Agreement)
                        )
                    })
                };
                assignee_id.as_ref().is_none_or(at)
                    && status.is_none_or(|s| s == r.status)
                    && consent.is_none_or(how)
            }),
            Condition::Agreement {
                ods_code,
                partner_ods_code,
                active,
            } => world
                .agreement_between(ods_code, partner_ods_code)
                .is_some_and(|a| active.is_none_or(|want| want == a.active())),
            Condition::Covers { user_id, includes } => {
                let covered = world.covers(user_id);
                includes.iter().all(|f| covered.contains(f))
            }
            Condition::All(cs) => cs.iter().all(|c| c.holds(world)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(world)),
            Condition::Not(c) => !c.holds(world),
        }
    }

    /// Checks that every id the condition names exists in `world`, that it nests at most
    /// [`MAX_DEPTH`] deep and holds at most [`MAX_NODES`] conditions. `path` names the
    /// condition in the study file (`tasks[2].success`); the error extends it to the bad
    /// field (`tasks[2].success.share.target_id: unknown target "g-x"`).
    pub fn check(&self, world: &World, path: &str) -> Result<(), StudyError> {
        let mut nodes = 0;
        self.check_at(world, path, 0, &mut nodes)
    }

    fn check_at(
        &self,
        world: &World,
        path: &str,
        depth: usize,
        nodes: &mut usize,
    ) -> Result<(), StudyError> {
        *nodes += 1;
        if depth >= MAX_DEPTH {
            return Err(StudyError::at(
                path,
                format!("conditions nest more than {MAX_DEPTH} deep"),
            ));
        }
        if *nodes > MAX_NODES {
            return Err(StudyError::at(
                path,
                format!("more than {MAX_NODES} conditions"),
            ));
        }
        let here = format!("{path}.{}", self.kind());
        let field = |name: &str| format!("{here}.{name}");
        match self {
            Condition::Share {
                target_id,
                partner_ods_code,
                ..
            }
            | Condition::NoShare {
                target_id,
                partner_ods_code,
            } => {
                known_target(world, target_id, &field("target_id"))?;
                known_org(world, partner_ods_code, &field("partner_ods_code"))
            }
            Condition::Request {
                id, assignee_id, ..
            } => {
                if world.request(id).is_none() {
                    return Err(StudyError::at(
                        &field("id"),
                        format!("unknown request \"{id}\""),
                    ));
                }
                match assignee_id {
                    Some(t) => known_target(world, t, &field("assignee_id")),
                    None => Ok(()),
                }
            }
            Condition::Agreement {
                ods_code,
                partner_ods_code,
                ..
            } => {
                known_org(world, ods_code, &field("ods_code"))?;
                known_org(world, partner_ods_code, &field("partner_ods_code"))?;
                if ods_code == partner_ods_code {
                    return Err(StudyError::at(
                        &field("partner_ods_code"),
                        "an organisation has no agreement with itself".to_owned(),
                    ));
                }
                Ok(())
            }
            Condition::Covers { user_id, includes } => {
                if world.user(user_id).is_none() {
                    return Err(StudyError::at(
                        &field("user_id"),
                        format!("unknown user \"{user_id}\""),
                    ));
                }
                for (i, f) in includes.iter().enumerate() {
                    let path = format!("{here}.includes[{i}]");
                    match f {
                        // C1: All, My requests and one's own colleague folder are never
                        // covered, so a condition asking for them could never hold.
                        FolderId::All | FolderId::Mine => {
                            return Err(StudyError::at(
                                &path,
                                format!("folder \"{f}\" cannot be covered"),
                            ));
                        }
                        FolderId::Target(t) if t.as_str() == user_id.as_str() => {
                            return Err(StudyError::at(
                                &path,
                                format!("\"{t}\" cannot cover their own folder"),
                            ));
                        }
                        FolderId::Target(t) if world.target(t).is_none() => {
                            return Err(StudyError::at(&path, format!("unknown folder \"{t}\"")));
                        }
                        _ => {}
                    }
                }
                Ok(())
            }
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().enumerate().try_for_each(|(i, c)| {
                    c.check_at(world, &format!("{here}[{i}]"), depth + 1, nodes)
                })
            }
            Condition::Not(c) => c.check_at(world, &here, depth + 1, nodes),
        }
    }
}

/// The (restricted, state) of the share of `target` with `partner`, if one exists (S2: at
/// most one per pair), found through the pair index.
fn share_of(world: &World, target: &TargetId, partner: &OdsCode) -> Option<(bool, ShareState)> {
    let t = *world.target_ix.get(target)?;
    let p = world.org_of(partner)?;
    let id = world.share_pair.get(&(t, p))?;
    world.shares.get(id).map(|s| (s.restricted, s.state))
}

fn known_target(world: &World, id: &TargetId, path: &str) -> Result<(), StudyError> {
    match world.target(id) {
        Some(_) => Ok(()),
        None => Err(StudyError::at(path, format!("unknown target \"{id}\""))),
    }
}

fn known_org(world: &World, code: &OdsCode, path: &str) -> Result<(), StudyError> {
    match world.organisation(code) {
        Some(_) => Ok(()),
        None => Err(StudyError::at(
            path,
            format!("unknown organisation \"{code}\""),
        )),
    }
}
