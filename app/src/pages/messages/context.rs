//! What the pieces of the Messages page share: the page's two actions and a cache of
//! organisation names.

use std::collections::{HashMap, HashSet};

use domain::wire::{AssignCommand, Assignee, AssigneeKind};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::{self, ApiError};

/// Close (`open: false`) or reopen a request at the version the user saw (SPEC A5).
#[derive(Clone, Debug, PartialEq)]
pub struct SetOpen {
    pub request_id: String,
    pub open: bool,
    pub version: u64,
}

/// Assign a request; `words` is the sentence said once it is done.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignInput {
    pub request_id: String,
    pub command: AssignCommand,
    pub words: String,
}

/// What the pieces of the Messages page share.
#[derive(Clone, Copy)]
pub struct MessagesContext {
    pub names: OrgNames,
    /// The signed-in user's organisation.
    pub my_ods_code: Memo<String>,
    /// Owned by the page, so the answer reloads the page even if the request or its dialog
    /// closed meanwhile; answers whether the request is now open, and its new version.
    pub set_open: Action<SetOpen, Result<(bool, u64), ApiError>>,
    /// Owned by the page likewise; answers the sentence to say, and the new version.
    pub assign: Action<AssignInput, Result<(String, u64), ApiError>>,
}

/// The context provided by `MessagesPage`.
pub fn use_messages() -> MessagesContext {
    expect_context::<MessagesContext>()
}

/// Organisation names by ODS code. The API names an organisation in some answers (folders,
/// origin, holder, inboxes, assign targets) but gives only the code in others (a list's origin,
/// the organisation that acted in a history event); this cache fills the gaps, asking the
/// directory for a code it has not yet seen.
#[derive(Clone, Copy)]
pub struct OrgNames {
    names: RwSignal<HashMap<String, String>>,
    asked: StoredValue<HashSet<String>>,
    /// The page's owner: a look-up belongs to it and is cancelled with it.
    owner: StoredValue<Option<Owner>>,
}

impl OrgNames {
    pub fn new() -> OrgNames {
        OrgNames {
            names: RwSignal::new(HashMap::new()),
            asked: StoredValue::new(HashSet::new()),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// Remembers a name from an answer. Writes only when it is new, so views reading the cache
    /// do not re-render for nothing. Called from answers that may arrive after the page is
    /// gone, so it only tries: a disposed cache is left alone.
    pub fn learn(&self, ods_code: &str, name: &str) {
        let known = self
            .names
            .try_with_untracked(|n| n.get(ods_code).is_some_and(|n| n == name))
            .unwrap_or(true);
        if !known {
            self.names.try_update(|n| {
                n.insert(ods_code.to_string(), name.to_string());
            });
        }
    }

    /// Remembers the organisation named by an inbox (whose name is the organisation's).
    pub fn learn_assignee(&self, assignee: &Assignee) {
        if assignee.kind == AssigneeKind::Inbox {
            self.learn(&assignee.ods_code, &assignee.name);
        }
    }

    /// The organisation's name, or its code until the directory has answered.
    pub fn name(&self, ods_code: &str) -> String {
        if let Some(name) = self.names.with(|n| n.get(ods_code).cloned()) {
            return name;
        }
        self.look_up(ods_code);
        ods_code.to_string()
    }

    fn look_up(&self, ods_code: &str) {
        let first_time = self
            .asked
            .try_update_value(|asked| asked.insert(ods_code.to_string()))
            .unwrap_or(false);
        let Some(Some(owner)) = self.owner.try_get_value() else {
            return;
        };
        if !first_time {
            return;
        }
        let this = *self;
        let code = ods_code.to_string();
        let search = owner.with(|| api::search_organisations(&code, 5));
        owner.with(|| {
            spawn_local_scoped_with_cancellation(async move {
                if let Ok(found) = search.await {
                    if let Some(org) = found.results.iter().find(|o| o.ods_code == code) {
                        this.learn(&org.ods_code, &org.name);
                    }
                }
            });
        });
    }
}

impl Default for OrgNames {
    fn default() -> Self {
        OrgNames::new()
    }
}

/// Who holds a request, in words: `Care Home Team (North Tees PCN)` or `Camelia Surgery inbox`.
pub fn assignee_words(assignee: &Assignee, names: OrgNames) -> String {
    match assignee.kind {
        AssigneeKind::Inbox => format!("{} inbox", assignee.name),
        AssigneeKind::Group | AssigneeKind::Colleague => {
            format!("{} ({})", assignee.name, names.name(&assignee.ods_code))
        }
    }
}

/// What the user reads after a conflict: the request is reloaded at once.
pub const CONFLICT_MESSAGE: &str =
    "This request changed — reloading the latest version. Check it and try again.";
