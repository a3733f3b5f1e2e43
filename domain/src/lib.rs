//! The rules of SPEC.md as pure Rust: no IO, no clock, no randomness.
//! Time and new ids are parameters supplied by the caller.

#[cfg(feature = "serde")]
pub mod wire;
