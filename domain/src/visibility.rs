//! Visibility (V1–V4) and the assignment queries built on it (A2, A3, the "would see" preview).
//!
//! The filter reads only the compact `Row` of each request, the request's sorted involved list
//! (only when the row's 64-bit mask says the organisation may be in it), the organisation's
//! bitset of targets it has an enabled unrestricted share of, and the patient's live preference
//! bit. It never scans shares.

use crate::error::DomainError;
use crate::ids::{AgreementId, RequestId, TargetId, UserId};
use crate::model::{HistoryEvent, Request, TargetInfo};
use crate::ods::OdsCode;
use crate::world::{bit, Row, World, NO_TARGET};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Why an organisation sees a request ("why can I see this?").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VisibleBecause {
    /// V1: the organisation is in involved(R). Wins when both apply.
    Involved,
    /// V2: R sits in a target shared with the organisation, enabled and unrestricted, and the
    /// patient's preference is `share`.
    UnrestrictedShare,
}

/// What the consent step of A3 needs for an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consent {
    /// No override needed.
    None,
    /// Automatic, recorded as this active agreement between the origin and the target's owner.
    Agreement { id: AgreementId, reference: String },
    /// The user must give a reason (10–1000 characters).
    Reason,
}

/// Who would see a request after an assignment (the assign dialog's preview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WouldSee {
    /// involved(R) after the assignment (including the acting organisation and the target's
    /// owner), ordered by organisation name.
    pub organisations: Vec<OdsCode>,
    /// How many other organisations would see it through an enabled unrestricted share of the
    /// target (V2): a number only, their names are the owner's business. Zero when the patient
    /// does not share.
    pub other_unrestricted_partners: usize,
}

/// A target the user may assign a request to, with its consent step and preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignable {
    pub target: TargetInfo,
    pub consent: Consent,
    pub would_see: WouldSee,
}

/// What a scan over every request for organisation `o` reads once instead of per request:
/// its V2 bitset and the patients' preferences as plain words (the persistent vectors they
/// live in cost a tree walk per lookup).
pub(crate) struct Viewer<'a> {
    pub(crate) o: u32,
    v2: &'a [u64],
    patient_share: Vec<u64>,
}

impl Viewer<'_> {
    /// V1–V3 for one request's row and involved list.
    #[inline]
    pub(crate) fn sees(&self, row: &Row, involved: &[u32]) -> Option<VisibleBecause> {
        sees(
            row,
            self.o,
            || involved,
            |t| bit(self.v2, t),
            |p| bit(&self.patient_share, p),
        )
    }

    /// `o` holds an enabled unrestricted share of target `t` (V2, before the patient's say).
    #[inline]
    pub(crate) fn shared(&self, t: u32) -> bool {
        bit(self.v2, t)
    }
}

/// V1–V3 from a request's row, reading the involved list, the organisation's V2 bit of the
/// request's target and the patient's preference only when needed.
#[inline]
fn sees<'a>(
    row: &Row,
    o: u32,
    involved: impl FnOnce() -> &'a [u32],
    shared: impl FnOnce(u32) -> bool,
    patient_shares: impl FnOnce(u32) -> bool,
) -> Option<VisibleBecause> {
    if row.involves(o, involved) {
        return Some(VisibleBecause::Involved);
    }
    if row.target != NO_TARGET && shared(row.target) && patient_shares(row.patient) {
        return Some(VisibleBecause::UnrestrictedShare);
    }
    None
}

impl World {
    /// V1–V3 for request index `r` and organisation index `o`.
    #[inline]
    pub(crate) fn sees_ix(&self, r: usize, o: u32) -> Option<VisibleBecause> {
        sees(
            &self.rows[r],
            o,
            || &self.involved[r],
            |t| self.v2.get(o as usize).is_some_and(|words| bit(words, t)),
            |p| self.patient_share.get(p),
        )
    }

    /// The once-per-scan reads of organisation `o` (see [`Viewer`]).
    pub(crate) fn viewer(&self, o: u32) -> Viewer<'_> {
        Viewer {
            o,
            v2: self
                .v2
                .get(o as usize)
                .map_or(&[], |words| words.as_slice()),
            patient_share: self.patient_share.words(),
        }
    }

    /// Every request's index, row and involved list, in arrival order: the persistent
    /// vectors walked in order (each step stays in the current leaf), not looked up by index.
    pub(crate) fn scan(&self) -> impl Iterator<Item = (usize, &Row, &[u32])> + '_ {
        self.rows
            .iter()
            .zip(self.involved.iter())
            .enumerate()
            .map(|(r, (row, involved))| (r, row, involved.as_slice()))
    }

    /// V1–V4: whether (and why) `org` sees `request`. None for unknown ids too.
    pub fn visibility(&self, request: &RequestId, org: &OdsCode) -> Option<VisibleBecause> {
        let r = *self.request_ix.get(request)? as usize;
        let o = self.org_of(org)?;
        self.sees_ix(r, o)
    }

    /// The request if `org` sees it; None exactly as for an unknown id (V4).
    pub fn request_for(&self, request: &RequestId, org: &OdsCode) -> Option<&Request> {
        self.visibility(request, org)?;
        self.request(request)
    }

    /// L2: a request's whole history, for an organisation that sees the request.
    pub fn history_for(&self, request: &RequestId, org: &OdsCode) -> Option<&[HistoryEvent]> {
        self.request_for(request, org).map(|r| r.history.as_slice())
    }

    /// Every request `org` sees, in arrival order.
    pub fn visible_requests(&self, org: &OdsCode) -> Vec<&Request> {
        let Some(o) = self.org_of(org) else {
            return Vec::new();
        };
        let viewer = self.viewer(o);
        self.scan()
            .zip(self.requests.iter())
            .filter(|((_, row, involved), _)| viewer.sees(row, involved).is_some())
            .map(|(_, request)| request)
            .collect()
    }

    /// How many requests `org` sees (the filter without building a list).
    pub fn count_visible(&self, org: &OdsCode) -> usize {
        let Some(o) = self.org_of(org) else { return 0 };
        let viewer = self.viewer(o);
        self.scan()
            .filter(|(_, row, involved)| viewer.sees(row, involved).is_some())
            .count()
    }

    /// A3: the consent step an assignment of `request` to `target` needs, or None for unknown
    /// ids. It does not check that the caller may see the request or use the target.
    pub fn consent_for(&self, request: &RequestId, target: &TargetId) -> Option<Consent> {
        let r = *self.request_ix.get(request)? as usize;
        let t = *self.target_ix.get(target)?;
        Some(self.consent_ix(r, t))
    }

    /// A3: whether the assignment needs an override at all (automatic or by reason).
    pub fn needs_override(&self, request: &RequestId, target: &TargetId) -> bool {
        matches!(
            self.consent_for(request, target),
            Some(Consent::Agreement { .. } | Consent::Reason)
        )
    }

    /// The preview of who would see `request` if `actor` assigned it to `target`. None for
    /// unknown ids or an unknown actor.
    pub fn would_see(
        &self,
        actor: &UserId,
        request: &RequestId,
        target: &TargetId,
    ) -> Option<WouldSee> {
        let (_, o) = self.actor(actor).ok()?;
        let r = *self.request_ix.get(request)? as usize;
        let t = *self.target_ix.get(target)?;
        Some(self.would_see_ix(o, r, t))
    }

    fn would_see_ix(&self, o: u32, r: usize, t: u32) -> WouldSee {
        let owner = self.targets[t as usize].owner;
        let mut orgs = self.involved[r].clone();
        for x in [owner, o] {
            if let Err(pos) = orgs.binary_search(&x) {
                orgs.insert(pos, x);
            }
        }
        let mut organisations: Vec<OdsCode> =
            orgs.iter().map(|&x| self.org_code(x).clone()).collect();
        organisations.sort_by(|a, b| self.org_sort_key(a).cmp(&self.org_sort_key(b)));
        let other_unrestricted_partners = if self.patient_share.get(self.rows[r].patient) {
            // The target's partners are one range of the share index: O(log + partners), not
            // a pass over every organisation.
            self.share_pair
                .range((t, 0)..=(t, u32::MAX))
                .filter(|((_, p), _)| {
                    self.v2.get(*p as usize).is_some_and(|words| bit(words, t))
                        && orgs.binary_search(p).is_err()
                })
                .count()
        } else {
            0
        };
        WouldSee {
            organisations,
            other_unrestricted_partners,
        }
    }

    /// A1–A3: every target `actor` may assign `request` to but its current assignee, with the
    /// consent step and the preview: own groups by name, own colleagues by name, then targets
    /// shared with the organisation (enabled) by owner name and name. `NotFound` when the
    /// request is not visible; an empty list when it is closed (A1).
    pub fn assignable(
        &self,
        actor: &UserId,
        request: &RequestId,
    ) -> Result<Vec<Assignable>, DomainError> {
        let (_, o) = self.actor(actor)?;
        let r = *self.request_ix.get(request).ok_or(DomainError::NotFound)? as usize;
        if self.sees_ix(r, o).is_none() {
            return Err(DomainError::NotFound);
        }
        if !self.rows[r].open {
            return Ok(Vec::new());
        }
        let current = self.rows[r].target;
        let mut out: Vec<Assignable> = (0..self.targets.len())
            .map(|t| t as u32)
            .filter(|&t| t != current && self.can_assign_to(o, t))
            .map(|t| Assignable {
                target: self.target_info_ix(t),
                consent: self.consent_ix(r, t),
                would_see: self.would_see_ix(o, r, t),
            })
            .collect();
        let own = self.org_code(o).clone();
        out.sort_by(|a, b| {
            let key = |x: &Assignable| {
                let external = x.target.owner != own;
                let owner_name = if external {
                    self.organisation(&x.target.owner)
                        .map_or(String::new(), |o| o.name.clone())
                } else {
                    String::new()
                };
                (
                    external,
                    owner_name,
                    x.target.owner.clone(),
                    x.target.kind == crate::model::TargetKind::Colleague,
                    x.target.name.clone(),
                    x.target.id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(out)
    }
}
