//! One page per file; each is a route of `App`.

pub mod about;
pub mod accessibility;
pub mod agreements;
pub mod audit;
pub mod colleagues;
pub mod external;
pub mod facilitator;
pub mod groups;
pub mod messages;
pub mod not_found;
pub mod participant;
pub mod sign_in;
pub mod target_list;
