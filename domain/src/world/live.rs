//! Who is told of a change (SPEC E1, E2): for one command and the world before and after it,
//! the live events it produced and, for each, the organisations (or, for covers, the user) to
//! tell.
//!
//! The rule (E2, with V1–V4 and R1):
//! - a request event goes only to organisations that see the request before or after the
//!   change; when the change altered the request (received, assigned, closed, reopened) to every
//!   one of them, otherwise (a share or a patient's preference changed) to those whose sight of
//!   it changed; `visible` is exactly "sees it after";
//! - a share event goes to the share's owner and partner, an agreement event to its two
//!   parties (R1: to anyone else they do not exist);
//! - a covers event goes to the one user whose covers changed, including covers dropped when a
//!   share left `enabled` (S6).
//!
//! Cost: the requests to look at come from the command (the ones it changed) or from the
//! indexes by target and by patient (`World::by_target`, `World::by_patient`) when a share or
//! a preference changed, and only when that change could alter V2 at all; each request costs
//! its involved list and the enabled unrestricted partners of its target (found once per
//! target from the shares). Nothing scans every request.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::audit::{AuditAction, AuditEvent};
use crate::folders::FolderId;
use crate::ids::{AgreementId, PatientId, RequestId, ShareId, TargetId, UserId};
use crate::model::ShareState;
use crate::ods::OdsCode;

use super::{bit, World, NO_TARGET};

/// What a command touched, as live events need it: the subjects named by the audit events it
/// appended, plus the patients whose preference changed (not an audited change, L1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Requests received, assigned, closed or reopened.
    pub requests: Vec<RequestId>,
    /// Shares created, edited, removed, enabled or disabled.
    pub shares: Vec<ShareId>,
    /// Agreements proposed or answered.
    pub agreements: Vec<AgreementId>,
    /// Users who changed their covers.
    pub covers: Vec<UserId>,
    /// Patients whose preference was set (V2 is read live).
    pub patients: Vec<PatientId>,
}

impl Touched {
    /// The subjects of the audit events a command appended.
    pub fn from_audit<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> Touched {
        let mut t = Touched::default();
        for e in events {
            let id = e.subject_id.clone();
            match e.action {
                AuditAction::ShareCreated
                | AuditAction::ShareRestrictionChanged
                | AuditAction::ShareRemoved
                | AuditAction::ShareEnabled
                | AuditAction::ShareDisabled => t.shares.push(ShareId::new(id)),
                AuditAction::RequestReceived
                | AuditAction::RequestAssigned
                | AuditAction::RequestClosed
                | AuditAction::RequestReopened => t.requests.push(RequestId::new(id)),
                AuditAction::CoversChanged => t.covers.push(UserId::new(id)),
                AuditAction::AgreementProposed
                | AuditAction::AgreementAccepted
                | AuditAction::AgreementRefused => t.agreements.push(AgreementId::new(id)),
            }
        }
        t
    }

    /// A patient's preference was set.
    pub fn patient(id: PatientId) -> Touched {
        Touched {
            patients: vec![id],
            ..Touched::default()
        }
    }

    /// True when nothing was touched.
    pub fn is_empty(&self) -> bool {
        *self == Touched::default()
    }
}

/// One live event, with ids, kinds and versions only (E2: never patient data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A request changed, or came into (`visible: true`) or went out of (`visible: false`)
    /// the recipients' sight.
    Request {
        id: RequestId,
        version: u64,
        visible: bool,
    },
    /// A share was created, edited, enabled, disabled (`state`) or removed (`state: None`).
    Share {
        id: ShareId,
        target: TargetId,
        state: Option<ShareState>,
        restricted: bool,
    },
    /// An agreement was proposed or answered.
    Agreement { id: AgreementId, active: bool },
    /// The user's covers changed.
    Covers,
}

impl LiveEvent {
    /// The `event:` name of API.md.
    pub fn kind(&self) -> &'static str {
        match self {
            LiveEvent::Request { .. } => "request",
            LiveEvent::Share { .. } => "share",
            LiveEvent::Agreement { .. } => "agreement",
            LiveEvent::Covers => "covers",
        }
    }
}

/// An event and who is told of it: organisations (sorted, without repeats), or one user (then
/// `organisations` names only the user's organisation, whose numbering the event takes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub event: LiveEvent,
    pub organisations: Vec<OdsCode>,
    pub user: Option<UserId>,
}

impl Notice {
    /// Whether a stream of `user` of organisation `org` receives this notice.
    pub fn reaches(&self, org: &OdsCode, user: &UserId) -> bool {
        match &self.user {
            Some(u) => u == user,
            None => self.organisations.binary_search(org).is_ok(),
        }
    }
}

/// The enabled unrestricted partners of each target (V2), computed once per target and world.
#[derive(Default)]
struct Partners {
    by_target: HashMap<u32, Vec<u32>>,
}

impl Partners {
    fn of(&mut self, w: &World, t: u32) -> &[u32] {
        self.by_target.entry(t).or_insert_with(|| {
            let id = &w.targets[t as usize].id;
            let mut out: Vec<u32> = w
                .shares
                .values()
                .filter(|s| &s.target == id)
                .filter_map(|s| w.org_of(&s.partner))
                .filter(|&p| w.v2_of(t, p))
                .collect();
            out.sort_unstable();
            out
        })
    }
}

/// The organisations that see request index `r` of `w` (V1–V3), sorted.
fn seers(w: &World, r: usize, partners: &mut Partners) -> Vec<u32> {
    let row = &w.rows[r];
    let mut out = w.involved[r].clone();
    if row.target != NO_TARGET && w.patient_shares(row.patient) {
        for &p in partners.of(w, row.target) {
            if let Err(pos) = out.binary_search(&p) {
                out.insert(pos, p);
            }
        }
    }
    out
}

impl World {
    /// Keeps the index by target in step with an assignment of request `r` to target `t`.
    pub(super) fn move_in_target_index(&mut self, r: usize, t: u32) {
        let r32 = super::ix(r);
        let old = self.rows[r].target;
        if old != NO_TARGET {
            self.by_target.remove(&(old, r32));
        }
        self.by_target.insert((t, r32));
    }

    /// The request indexes assigned to target index `t`.
    fn requests_in_target(&self, t: u32) -> impl Iterator<Item = usize> + '_ {
        self.by_target
            .range((t, 0)..=(t, u32::MAX))
            .map(|&(_, r)| r as usize)
    }

    /// The request indexes of patient index `p`.
    fn requests_of_patient(&self, p: u32) -> impl Iterator<Item = usize> + '_ {
        self.by_patient
            .range((p, 0)..=(p, u32::MAX))
            .map(|&(_, r)| r as usize)
    }

    /// Whether patient index `p`'s preference is `share` now (V2 reads it live).
    fn patient_shares(&self, p: u32) -> bool {
        self.patient_share.get(p)
    }

    /// Whether target `t` gives partner `p` V2 sight in this world.
    fn v2_of(&self, t: u32, p: u32) -> bool {
        self.v2.get(p as usize).is_some_and(|w| bit(w, t))
    }

    /// SPEC E1, E2: the live events of one command that turned `before` into `self`, and who
    /// is told of each (see the module docs). `touched` names what the command changed
    /// (`Touched::from_audit` of the events it appended, plus `Touched::patient` for a
    /// preference). Both worlds have the same organisations (no command adds any).
    pub fn notices_since(&self, before: &World, touched: &Touched) -> Vec<Notice> {
        let after = self;
        let mut out = Vec::new();
        // Requests to look at: request index → whether the command altered it.
        let mut requests: BTreeMap<usize, bool> = BTreeMap::new();
        for id in &touched.requests {
            if let Some(&r) = after.request_ix.get(id) {
                requests.insert(r as usize, true);
            }
        }

        for id in &touched.shares {
            let (old, new) = (before.shares.get(id), after.shares.get(id));
            let Some(share) = new.or(old) else { continue };
            let mut parties = vec![share.owner.clone(), share.partner.clone()];
            parties.sort();
            parties.dedup();
            out.push(Notice {
                event: LiveEvent::Share {
                    id: id.clone(),
                    target: share.target.clone(),
                    state: new.map(|s| s.state),
                    restricted: share.restricted,
                },
                organisations: parties,
                user: None,
            });
            let (Some(&t), Some(p)) = (
                after.target_ix.get(&share.target),
                after.org_of(&share.partner),
            ) else {
                continue;
            };
            // V2 of the target's requests changes for the partner only, and only if the share
            // started or stopped granting it (V4).
            if before.v2_of(t, p) != after.v2_of(t, p) {
                for r in after.requests_in_target(t) {
                    requests.entry(r).or_insert(false);
                }
            }
            // S6: the partner's users who lost their cover of the target.
            let folder = FolderId::Target(share.target.clone());
            for (user, folders) in &before.covers {
                if folders.contains(&folder) && after.covers(user) != folders.as_slice() {
                    let org = self.user(user).map(|u| u.ods_code.clone());
                    out.push(covers_notice(user, org));
                }
            }
        }

        for id in &touched.patients {
            let Some(&p) = after.patient_ix.get(id) else {
                continue;
            };
            if before.patient_shares(p) != after.patient_shares(p) {
                for r in after.requests_of_patient(p) {
                    requests.entry(r).or_insert(false);
                }
            }
        }

        let (mut pb, mut pa) = (Partners::default(), Partners::default());
        for (r, altered) in requests {
            let was = if r < before.requests.len() {
                seers(before, r, &mut pb)
            } else {
                Vec::new()
            };
            let now = seers(after, r, &mut pa);
            // The command changed the request itself when its version moved (or it is new).
            let altered = altered
                || before.requests.get(r).map(|q| q.version) != Some(after.requests[r].version);
            let told_visible: Vec<u32> = if altered {
                now.clone()
            } else {
                now.iter()
                    .copied()
                    .filter(|o| was.binary_search(o).is_err())
                    .collect()
            };
            let told_gone: Vec<u32> = was
                .iter()
                .copied()
                .filter(|o| now.binary_search(o).is_err())
                .collect();
            let req = &after.requests[r];
            for (orgs, visible) in [(told_visible, true), (told_gone, false)] {
                if orgs.is_empty() {
                    continue;
                }
                let mut organisations: Vec<OdsCode> =
                    orgs.iter().map(|&o| after.org_code(o).clone()).collect();
                organisations.sort();
                out.push(Notice {
                    event: LiveEvent::Request {
                        id: req.id.clone(),
                        version: req.version,
                        visible,
                    },
                    organisations,
                    user: None,
                });
            }
        }

        for id in &touched.agreements {
            let Some(a) = after.agreements.get(id) else {
                continue;
            };
            let mut parties = vec![a.proposer.clone(), a.partner.clone()];
            parties.sort();
            out.push(Notice {
                event: LiveEvent::Agreement {
                    id: id.clone(),
                    active: a.active(),
                },
                organisations: parties,
                user: None,
            });
        }

        let mut told: BTreeSet<&UserId> = BTreeSet::new();
        for user in &touched.covers {
            if told.insert(user) {
                let org = self.user(user).map(|u| u.ods_code.clone());
                out.push(covers_notice(user, org));
            }
        }
        out
    }
}

/// A covers notice names the user's organisation too: it is not told to the organisation (a
/// colleague's stream skips it), but it takes a number of the organisation's (API.md "Live
/// updates": numbering per organisation).
fn covers_notice(user: &UserId, org: Option<OdsCode>) -> Notice {
    Notice {
        event: LiveEvent::Covers,
        organisations: org.into_iter().collect(),
        user: Some(user.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// E1, API.md "Live updates": each event goes out under its `event:` name, which the client
    /// dispatches on (a wrong name is an event no screen acts on).
    #[test]
    fn e1_each_event_is_named_as_api_md_says() {
        let request = LiveEvent::Request {
            id: RequestId::new("r1"),
            version: 2,
            visible: true,
        };
        let share = LiveEvent::Share {
            id: ShareId::new("s1"),
            target: TargetId::new("g1"),
            state: None,
            restricted: false,
        };
        let agreement = LiveEvent::Agreement {
            id: AgreementId::new("d1"),
            active: true,
        };
        let names: Vec<&str> = [request, share, agreement, LiveEvent::Covers]
            .iter()
            .map(LiveEvent::kind)
            .collect();
        assert_eq!(names, ["request", "share", "agreement", "covers"]);
    }

    /// E1: the server tells nobody of a command that touched nothing, and tells of every one
    /// that touched something (it skips `notices_since` when `Touched::is_empty`): a patient's
    /// preference alone is something.
    #[test]
    fn e1_touched_is_empty_only_when_the_command_touched_nothing() {
        assert!(Touched::default().is_empty());
        assert!(Touched::from_audit([]).is_empty());
        assert!(!Touched::patient(PatientId::new("p1")).is_empty());
        let covers = Touched {
            covers: vec![UserId::new("u1")],
            ..Touched::default()
        };
        assert!(!covers.is_empty());
    }
}
