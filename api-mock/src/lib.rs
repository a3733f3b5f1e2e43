//! The mock API: `app(state) -> Router`, driven by `main.rs` and by `oneshot` tests.

use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use tower_http::services::{ServeDir, ServeFile};

/// Everything the handlers share.
#[derive(Debug, Default)]
pub struct AppState {
    /// The built client to serve, if any.
    pub static_dir: Option<PathBuf>,
}

/// The whole HTTP surface: `/api/...` plus the built client with deep links falling back to
/// its `index.html`, so `/groups` loads the app rather than a 404.
pub fn app(state: Arc<AppState>) -> Router {
    let api = Router::new().route("/health", get(health_get));
    let router = Router::new().nest("/api", api);
    match &state.static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router,
    }
}

async fn health_get() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}
