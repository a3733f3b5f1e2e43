//! The reload model: one version signal per kind of data, in context. A screen's resource
//! tracks the kinds it shows; each change names what it invalidates and bumps those versions
//! once, whether it came from this tab's answer or from the event stream (`live`).
//!
//! A change this tab made is applied when its answer arrives ([`Reload::answered`]), and its
//! event, which the stream sends to every tab of the organisation, is then recognised and not
//! applied again: the tab remembers the changes it applied and the events it received (both
//! named as the stream names them: a request's id and version, a share's id and state, an
//! agreement's id and state), whichever comes first wins and the other is dropped. The
//! versions belong to the app, so an answer that arrives after its page, dialog or persona is
//! gone still reloads what is shown now (`try_update`: never a disposed signal).

use std::collections::HashMap;

use domain::wire::{Agreement, ExternalShare, RequestDetail, Share, ShareEventState, ShareState};
use leptos::prelude::*;

/// What a screen shows, as far as reloading goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Requests received, assigned, closed or reopened, or coming into or out of sight
    /// (folder counts, the request list, a request).
    Requests,
    /// Shares the organisation owns or is partner of (Groups, Colleagues, External, the
    /// folders of external groups, what may be assigned).
    Shares,
    /// Agreements the organisation is party to (the register, the consent step).
    Agreements,
    /// The user's covers (folders, My messages).
    Covers,
}

const KINDS: usize = 4;

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Requests => 0,
            Kind::Shares => 1,
            Kind::Agreements => 2,
            Kind::Covers => 3,
        }
    }
}

/// One change, named as the stream names it (API.md "Live updates").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Request {
        id: String,
        version: u64,
    },
    Share {
        id: String,
        state: ShareEventState,
        restricted: bool,
    },
    Agreement {
        id: String,
        active: bool,
    },
    Covers,
}

impl Change {
    /// What the change invalidates.
    pub fn kind(&self) -> Kind {
        match self {
            Change::Request { .. } => Kind::Requests,
            Change::Share { .. } => Kind::Shares,
            Change::Agreement { .. } => Kind::Agreements,
            Change::Covers => Kind::Covers,
        }
    }

    /// A request as answered after this tab's assign, close or reopen.
    pub fn request(detail: &RequestDetail) -> Change {
        Change::Request {
            id: detail.id.clone(),
            version: detail.version,
        }
    }

    /// A share as answered after this tab created or edited it.
    pub fn share(share: &Share) -> Change {
        Change::Share {
            id: share.id.clone(),
            state: event_state(share.state),
            restricted: share.restricted,
        }
    }

    /// A share this tab removed.
    pub fn share_removed(id: &str) -> Change {
        Change::Share {
            id: id.to_string(),
            state: ShareEventState::Removed,
            restricted: false,
        }
    }

    /// A share shared with us, as answered after this tab enabled or disabled it.
    pub fn external(share: &ExternalShare) -> Change {
        Change::Share {
            id: share.share_id.clone(),
            state: event_state(share.state),
            restricted: share.restricted,
        }
    }

    /// An agreement as answered after this tab proposed or answered it.
    pub fn agreement(agreement: &Agreement) -> Change {
        Change::Agreement {
            id: agreement.id.clone(),
            active: agreement.active,
        }
    }

    /// Whether an event and an answer name the same change (a removal's event carries the
    /// share's last flag, which the answer to a removal does not).
    fn same(&self, other: &Change) -> bool {
        match (self, other) {
            (
                Change::Share {
                    id: a,
                    state: ShareEventState::Removed,
                    ..
                },
                Change::Share {
                    id: b,
                    state: ShareEventState::Removed,
                    ..
                },
            ) => a == b,
            _ => self == other,
        }
    }
}

fn event_state(state: ShareState) -> ShareEventState {
    match state {
        ShareState::Pending => ShareEventState::Pending,
        ShareState::Enabled => ShareEventState::Enabled,
        ShareState::Disabled => ShareEventState::Disabled,
    }
}

/// How many applied changes each side remembers: far more than a tab makes between an answer
/// and its event.
const REMEMBERED: usize = 64;

/// The last `request` event received for one request: enough for its open view to know that
/// it changed (a newer version) or left the organisation's sight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestChange {
    pub version: u64,
    pub visible: bool,
    /// The event's number, so two events with the same version still differ.
    pub event_id: u64,
}

/// The versions and what has been applied, provided by `App`.
#[derive(Clone, Copy)]
pub struct Reload {
    versions: [RwSignal<u32>; KINDS],
    resets: RwSignal<u32>,
    /// Changes this tab applied from its answers, whose events are still to come.
    answered: StoredValue<Vec<Change>>,
    /// Changes applied from events, in case an answer comes after its own event.
    received: StoredValue<Vec<Change>>,
    /// The last event of every request that changed since the session's stream opened.
    requests: RwSignal<HashMap<String, RequestChange>>,
}

impl Reload {
    fn new() -> Self {
        Reload {
            versions: std::array::from_fn(|_| RwSignal::new(0)),
            resets: RwSignal::new(0),
            answered: StoredValue::new(Vec::new()),
            received: StoredValue::new(Vec::new()),
            requests: RwSignal::new(HashMap::new()),
        }
    }

    /// Subscribes the caller (a resource) to changes of `kind`.
    pub fn track(self, kind: Kind) {
        self.versions[kind.index()].track();
    }

    /// Subscribes the caller to every change (the audit log records them all).
    pub fn track_all(self) {
        for version in self.versions {
            version.track();
        }
    }

    fn bump(self, kind: Kind) {
        self.versions[kind.index()].try_update(|n| *n = n.wrapping_add(1));
    }

    /// This tab's change was accepted: reload what it invalidates, unless its event came first.
    pub fn answered(self, change: Change) {
        if take(self.received, &change) {
            return;
        }
        remember(self.answered, change.clone());
        self.bump(change.kind());
    }

    /// This tab's call was refused or its effect is unknown (a conflict, a failure): what it
    /// touched may be out of date, so reload it. No event is expected.
    pub fn stale(self, kind: Kind) {
        self.bump(kind);
    }

    /// An event of the stream: applied unless it carries a change this tab already applied.
    pub fn event(self, change: Change) {
        if take(self.answered, &change) {
            return;
        }
        remember(self.received, change.clone());
        self.bump(change.kind());
    }

    /// A `request` event's details, for the request's open view (E4).
    pub fn request_event(self, id: &str, change: RequestChange) {
        self.requests.try_update(|m| {
            m.insert(id.to_string(), change);
        });
    }

    /// The last event of one request since the stream opened (tracked).
    pub fn request_change(self, id: &str) -> Option<RequestChange> {
        self.requests.with(|m| m.get(id).copied())
    }

    /// Everything may have changed (a `reset` event, or a stream back after a gap it cannot
    /// replay): every screen reloads.
    pub fn reset(self) {
        self.answered.try_update_value(Vec::clear);
        self.received.try_update_value(Vec::clear);
        self.resets.try_update(|n| *n = n.wrapping_add(1));
        for kind in [Kind::Requests, Kind::Shares, Kind::Agreements, Kind::Covers] {
            self.bump(kind);
        }
    }

    /// How many resets so far (tracked): a screen comparing answers across reloads
    /// (External's notice) knows not to read a reset as news.
    pub fn resets(self) -> u32 {
        self.resets.get()
    }

    /// A new session: nothing it will receive was applied by the last one.
    pub fn new_session(self) {
        self.answered.try_update_value(Vec::clear);
        self.received.try_update_value(Vec::clear);
        self.requests.try_update(HashMap::clear);
    }
}

/// Removes `change` from `list`, saying whether it was there.
fn take(list: StoredValue<Vec<Change>>, change: &Change) -> bool {
    list.try_update_value(|l| match l.iter().position(|c| c.same(change)) {
        Some(i) => {
            l.remove(i);
            true
        }
        None => false,
    })
    .unwrap_or(false)
}

fn remember(list: StoredValue<Vec<Change>>, change: Change) {
    list.try_update_value(|l| {
        if l.len() == REMEMBERED {
            l.remove(0);
        }
        l.push(change);
    });
}

/// Provides the reload model to the app.
pub fn provide_reload() -> Reload {
    let reload = Reload::new();
    provide_context(reload);
    reload
}

/// The reload model provided by `App`.
pub fn use_reload() -> Reload {
    expect_context::<Reload>()
}

#[cfg(test)]
mod tests {
    use super::{Change, Kind, Reload};
    use domain::wire::ShareEventState;
    use leptos::prelude::*;

    fn version(reload: Reload, kind: Kind) -> u32 {
        reload.versions[kind.index()].get_untracked()
    }

    fn request(version: u64) -> Change {
        Change::Request {
            id: "r-1".to_string(),
            version,
        }
    }

    #[test]
    fn a_change_of_this_tab_reloads_once_when_its_event_follows_its_answer() {
        Owner::new().with(|| {
            let reload = Reload::new();
            reload.answered(request(2));
            reload.event(request(2));
            assert_eq!(version(reload, Kind::Requests), 1);
            // Another change of the same request is news.
            reload.event(request(3));
            assert_eq!(version(reload, Kind::Requests), 2);
        });
    }

    #[test]
    fn a_change_of_this_tab_reloads_once_when_its_event_comes_before_its_answer() {
        Owner::new().with(|| {
            let reload = Reload::new();
            reload.event(request(2));
            reload.answered(request(2));
            assert_eq!(version(reload, Kind::Requests), 1);
        });
    }

    #[test]
    fn a_removal_matches_its_event_whatever_flag_the_event_carries() {
        Owner::new().with(|| {
            let reload = Reload::new();
            reload.answered(Change::share_removed("s-1"));
            reload.event(Change::Share {
                id: "s-1".to_string(),
                state: ShareEventState::Removed,
                restricted: true,
            });
            assert_eq!(version(reload, Kind::Shares), 1);
            assert_eq!(version(reload, Kind::Requests), 0);
        });
    }

    #[test]
    fn a_reset_reloads_every_kind_and_forgets_what_was_pending() {
        Owner::new().with(|| {
            let reload = Reload::new();
            reload.answered(Change::Covers);
            reload.reset();
            for kind in [Kind::Requests, Kind::Shares, Kind::Agreements] {
                assert_eq!(version(reload, kind), 1);
            }
            // The covers event after a reset is not recognised as this tab's any more.
            reload.event(Change::Covers);
            assert_eq!(version(reload, Kind::Covers), 3);
        });
    }
}
