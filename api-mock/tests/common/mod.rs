//! Helpers for the `oneshot` tests: the demo network in memory, sign-in, and calls that return
//! the status with the body as JSON (or raw bytes).
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

pub mod research;

use api_mock::{app, AppState};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub struct Api {
    pub state: Arc<AppState>,
    pub router: Router,
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub fn field(&self) -> Option<String> {
        self.json()["error"]["field"].as_str().map(str::to_owned)
    }
}

impl Api {
    pub fn demo() -> Self {
        let state = Arc::new(AppState::demo_in_memory().expect("demo seed loads"));
        Self::with_state(state)
    }

    pub fn with_state(state: Arc<AppState>) -> Self {
        let router = app(state.clone());
        Self { state, router }
    }

    pub async fn raw(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            content_type,
            bytes,
        }
    }

    /// A call with an optional token and an optional JSON body (sent as text, as is).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Answer {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header("authorization", format!("Bearer {t}"));
        }
        let request = match body {
            Some(b) => builder
                .header("content-type", "application/json")
                .body(Body::from(b.to_owned()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        };
        self.raw(request).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn send(&self, method: &str, path: &str, token: &str, body: Value) -> Answer {
        self.call(method, path, Some(token), Some(&body.to_string()))
            .await
    }

    pub async fn sign_in(&self, user_id: &str) -> String {
        let a = self
            .call(
                "POST",
                "/api/session",
                None,
                Some(&format!(r#"{{"user_id":"{user_id}"}}"#)),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "sign in as {user_id}");
        a.json()["token"].as_str().unwrap().to_owned()
    }

    /// The version of a request as `token`'s organisation sees it.
    pub async fn version(&self, id: &str, token: &str) -> u64 {
        let a = self.get(&format!("/api/requests/{id}"), token).await;
        assert_eq!(a.status, StatusCode::OK, "request {id} visible");
        a.json()["version"].as_u64().unwrap()
    }

    /// The whole persisted state as JSON, to prove a refusal changed nothing.
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&self.state.read().world.snapshot()).unwrap()
    }
}

/// Demo personas used across the tests.
pub const CAMELIA_ADMIN: &str = "u-sarah-ahmed";
pub const CAMELIA_STAFF: &str = "u-james-wilson";
pub const CAMELIA_STAFF_2: &str = "u-priya-patel";
pub const RIVERSIDE_ADMIN: &str = "u-helen-clarke";
pub const RIVERSIDE_STAFF: &str = "u-tom-bennett";
pub const PCN_ADMIN: &str = "u-mark-robinson";
pub const PCN_STAFF: &str = "u-aisha-khan";
pub const FRAILTY_ADMIN: &str = "u-grace-okafor";
pub const HUB_ADMIN: &str = "u-emma-taylor";
pub const PHARMACY_ADMIN: &str = "u-ravi-shah";
pub const PHARMACY_STAFF: &str = "u-chloe-evans";
