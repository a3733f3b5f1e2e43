//! The live updates' bodies (SPEC E1–E4): the stream's ticket, each event's `data:` and the
//! `event:` names.

use serde::{Deserialize, Serialize};

use super::ShareState;

/// `POST /api/events/ticket` answer: a single-use ticket for `GET /api/events?ticket=T`
/// (a browser's `EventSource` cannot send an `Authorization` header; the token never goes into
/// a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventTicket {
    pub ticket: String,
    pub expires_in_s: u64,
}

/// The `data:` of a `request` event: the request changed, or came into (`visible: true`) or
/// went out of (`visible: false`) the organisation's sight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestEvent {
    pub id: String,
    pub version: u64,
    pub visible: bool,
}

/// A share's state in a `share` event: its state, or `removed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareEventState {
    Pending,
    Enabled,
    Disabled,
    Removed,
}

impl From<Option<ShareState>> for ShareEventState {
    fn from(state: Option<ShareState>) -> Self {
        match state {
            Some(ShareState::Pending) => ShareEventState::Pending,
            Some(ShareState::Enabled) => ShareEventState::Enabled,
            Some(ShareState::Disabled) => ShareEventState::Disabled,
            None => ShareEventState::Removed,
        }
    }
}

/// The `data:` of a `share` event (to the owner and the partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareEvent {
    pub id: String,
    pub target_id: String,
    pub state: ShareEventState,
    pub restricted: bool,
}

/// The `data:` of an `agreement` event (to both parties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementEvent {
    pub id: String,
    pub active: bool,
}

/// The `data:` of `covers` and `reset` events: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmptyEvent {}

/// The `event:` names of the stream.
pub mod event_kind {
    pub const REQUEST: &str = "request";
    pub const SHARE: &str = "share";
    pub const AGREEMENT: &str = "agreement";
    pub const COVERS: &str = "covers";
    pub const RESET: &str = "reset";
}
