//! `--static DIR` serves the built client as the field serves a wasm app (issue 11, item 6):
//! the precompressed variant the browser accepts, `application/wasm`, hashed files cached for a
//! year, `index.html` and deep links revalidated, `Vary: Accept-Encoding` on every file.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;

use api_mock::{app, AppState};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const WASM: &str = "app-3f1c2b9a8d7e6f50_bg.wasm";
const JS: &str = "app-3f1c2b9a8d7e6f50.js";
const INDEX: &str = "<html>client</html>";

/// A `dist/` as `scripts/build-client` leaves it: each file with its `.br` and `.gz` beside
/// it (stand-in bytes, so the test can tell which variant was sent), and an unhashed asset.
struct Dist {
    dir: PathBuf,
    router: Router,
}

impl Dist {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("api-mock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assets/images")).unwrap();
        for (file, body) in [("index.html", INDEX), (WASM, "wasm"), (JS, "js")] {
            std::fs::write(dir.join(file), body).unwrap();
            std::fs::write(dir.join(format!("{file}.br")), format!("br:{body}")).unwrap();
            std::fs::write(dir.join(format!("{file}.gz")), format!("gz:{body}")).unwrap();
        }
        std::fs::write(dir.join("assets/images/nhs-logo.svg"), "<svg/>").unwrap();
        let config = api_mock::config::Config {
            data: None,
            static_dir: Some(dir.clone()),
            ..Default::default()
        };
        let router = app(Arc::new(AppState::start(&config).unwrap()));
        Self { dir, router }
    }

    async fn get(&self, path: &str, accept_encoding: Option<&str>) -> (Response<()>, String) {
        let mut request = Request::get(path);
        if let Some(encodings) = accept_encoding {
            request = request.header("accept-encoding", encodings);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        (
            Response::from_parts(parts, ()),
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn header(response: &Response<()>, name: &str) -> String {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
async fn the_encoding_sent_is_the_best_one_the_browser_accepts() {
    let dist = Dist::new("encoding");
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), "br", "br:wasm"),
        (Some("gzip, deflate"), "gzip", "gz:wasm"),
        (Some("br;q=0.5, gzip;q=1"), "gzip", "gz:wasm"),
        (Some("identity"), "", "wasm"),
        (None, "", "wasm"),
    ] {
        let (response, text) = dist.get(&format!("/{WASM}"), accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(
            header(&response, "content-encoding"),
            encoding,
            "{accept:?}"
        );
        assert_eq!(text, body, "{accept:?}");
        // The type of the file, never of its compressed variant: the browser compiles the
        // module while it streams only when it is application/wasm.
        assert_eq!(header(&response, "content-type"), "application/wasm");
        assert!(
            header(&response, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "a shared cache must not hand brotli to a browser that asked for gzip"
        );
    }
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_never_revalidated() {
    let dist = Dist::new("immutable");
    for (file, content_type) in [(WASM, "application/wasm"), (JS, "text/javascript")] {
        let (response, _) = dist.get(&format!("/{file}"), Some("br")).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{file}"
        );
        assert_eq!(header(&response, "content-type"), content_type, "{file}");
    }
}

#[tokio::test]
async fn the_index_and_every_deep_link_are_revalidated_so_a_new_build_is_seen_at_once() {
    let dist = Dist::new("index");
    for path in ["/", "/index.html", "/groups", "/messages/r-1001"] {
        let (response, text) = dist.get(path, Some("gzip, br")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "content-type"), "text/html", "{path}");
        assert_eq!(header(&response, "content-encoding"), "br", "{path}");
        assert_eq!(text, format!("br:{INDEX}"), "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert!(
            header(&response, "last-modified").len() > 10,
            "{path}: no-cache needs a validator"
        );
        let (plain, text) = dist.get(path, None).await;
        assert_eq!(text, INDEX, "{path}");
        assert_eq!(header(&plain, "cache-control"), "no-cache", "{path}");
    }
    // A hashed-looking name that does not exist (an old build's wasm) answers the index, which
    // must not be cached for a year under that name.
    let (response, _) = dist.get("/app-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(header(&response, "content-type"), "text/html");
    assert_eq!(header(&response, "cache-control"), "no-cache");
}

#[tokio::test]
async fn files_copied_without_a_hash_get_a_short_cache_and_api_answers_are_untouched() {
    let dist = Dist::new("short");
    let (response, text) = dist.get("/assets/images/nhs-logo.svg", Some("br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(text, "<svg/>", "no .br beside it: sent as it is");
    assert_eq!(header(&response, "content-encoding"), "");
    assert_eq!(header(&response, "content-type"), "image/svg+xml");
    assert_eq!(header(&response, "cache-control"), "public, max-age=3600");

    let (response, _) = dist.get("/api/health", Some("br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "");
    let (response, _) = dist.get("/api/unknown", Some("br")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, "content-type"), "application/json");
}
