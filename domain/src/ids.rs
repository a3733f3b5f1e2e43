//! Typed ids: newtypes over `String`, so a request id can never be passed where a share id is
//! expected. Ids are chosen by the caller (the domain has no randomness).

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(String);

        impl $name {
            /// Wraps an id chosen by the caller.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// A user (a colleague); also a target id, since groups and users share one namespace.
    UserId
);
string_id!(
    /// A group; also a target id.
    GroupId
);
string_id!(
    /// A target: the id of a group or of a colleague (one shared namespace, API.md seed file).
    TargetId
);
string_id!(
    /// A patient.
    PatientId
);
string_id!(
    /// A patient request.
    RequestId
);
string_id!(
    /// A share of a target with a partner organisation.
    ShareId
);
string_id!(
    /// A data sharing agreement.
    AgreementId
);
string_id!(
    /// An audit event (also the id of the matching request-history event).
    EventId
);

impl From<&UserId> for TargetId {
    fn from(id: &UserId) -> Self {
        TargetId(id.0.clone())
    }
}

impl From<&GroupId> for TargetId {
    fn from(id: &GroupId) -> Self {
        TargetId(id.0.clone())
    }
}

/// Ids reserved for the virtual folders (API.md): no group or user may use them.
pub const RESERVED_IDS: [&str; 3] = ["all", "mine", "sent_externally"];
