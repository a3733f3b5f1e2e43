//! The rules of SPEC.md as pure Rust: no IO, no clock, no randomness.
//! Time and new ids are parameters supplied by the caller.
//!
//! # Map
//! - Values: [`OdsCode`], [`NhsNumber`], [`Timestamp`], typed ids in [`ids`].
//! - Data: [`model`] (organisations, users, groups, patients, requests, shares, agreements).
//! - [`World`]: the state, loading (`add_*`, `snapshot` / `from_snapshot`) and every command of
//!   SPEC §3 (`share_target`, `set_share_restricted`, `remove_share`, `enable_share`,
//!   `disable_share`, `propose_agreement`, `accept_agreement`, `refuse_agreement`,
//!   `receive_request`, `assign_request`, `close_request`, `reopen_request`, `set_covers`,
//!   `set_patient_sharing`). A command takes the actor, its inputs, `now` and the new ids,
//!   and returns the audit events it appended (none when it changed nothing) or a
//!   [`DomainError`]; a refusal changes nothing. One file per concern under `world/`:
//!   `mod.rs` (the struct, its indexes, shared lookups), `reading`, `loading`, `requests`,
//!   `assignment` (A2, A3), `sharing` (S), `agreements` (D), `covers` (C).
//! - Queries: [`visibility`] (V1–V4, assignable targets, consent, preview), [`folders`]
//!   (C1–C4), [`pages`] (one page of a folder or of the Messages page, from ordered
//!   indexes, with its cursors), [`audit`] (L2), [`audit_pages`] (one page of the log, from
//!   an ordered per-organisation index) and [`csv`] (export).
//! - [`research`]: study files (K1–K3), success conditions over a `World` (K3) and the
//!   statistics of K4, K5 and K7.
//! - `wire` (feature `serde`): the JSON bodies of API.md, shared by the client and the server.

pub mod audit;
pub mod audit_pages;
pub mod csv;
pub mod error;
pub mod folders;
pub mod ids;
pub mod model;
pub mod nhs;
pub mod ods;
pub mod pages;
pub mod preview;
pub mod research;
pub mod text;
pub mod time;
pub mod visibility;
#[cfg(feature = "serde")]
pub mod wire;
pub mod world;

pub use audit::{AuditAction, AuditEvent, AuditNames};
pub use audit_pages::{AuditCursor, AuditPage, LogPosition};
pub use error::{DomainError, ParseError};
pub use folders::{Folder, FolderId, FolderKind, StatusFilter};
pub use ids::{AgreementId, EventId, GroupId, PatientId, RequestId, ShareId, TargetId, UserId};
pub use model::{
    Agreement, Answer, Assignee, Group, HistoryAction, HistoryEvent, NewRequest, Organisation,
    Override, Patient, Request, RequestKind, RequestStatus, Role, Share, ShareState, Sharing,
    TargetInfo, TargetKind, User,
};
pub use nhs::NhsNumber;
pub use ods::OdsCode;
pub use pages::{Cursor, Page, Position};
pub use time::Timestamp;
pub use visibility::{Assignable, Consent, VisibleBecause, WouldSee};
pub use world::{Covers, Delta, LiveEvent, Notice, Snapshot, Touched, World};
