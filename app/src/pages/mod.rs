//! One page per file; each is a route of `App`.

pub mod about;
pub mod accessibility;
pub mod agreements;
pub mod audit;
pub mod colleagues;
pub mod external;
#[cfg(feature = "research")]
pub mod facilitator;
pub mod groups;
/// The staff build answers the research routes by handing them to the research build.
#[cfg(not(feature = "research"))]
pub mod handoff;
pub mod messages;
pub mod not_found;
#[cfg(feature = "research")]
pub mod participant;
#[cfg(not(feature = "research"))]
pub use handoff as facilitator;
#[cfg(not(feature = "research"))]
pub use handoff as participant;
pub mod sign_in;
pub mod target_list;
