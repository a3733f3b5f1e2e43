//! Contexts shared across the page tree.

use leptos::prelude::*;

use crate::api::{self, ApiError, Health};

/// The service's health, loaded once at start and re-checked on demand ("Try again").
#[derive(Clone, Copy)]
pub struct HealthContext {
    pub health: LocalResource<Result<Health, ApiError>>,
}

/// Starts the health check and provides it to the tree.
pub fn provide_health_context() {
    let health = LocalResource::new(api::health);
    provide_context(HealthContext { health });
}

/// The health context provided by `App`.
pub fn use_health() -> HealthContext {
    expect_context::<HealthContext>()
}
