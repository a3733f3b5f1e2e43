//! The built client, served as the field serves a wasm app (issue 11, item 6).
//!
//! - Compressed once, never per request: `scripts/build-client` writes `.br` and `.gz` beside
//!   every compressible file of `dist/`, and tower-http's `ServeDir` picks the variant the
//!   browser's `Accept-Encoding` allows (brotli first), with `Vary: Accept-Encoding`.
//! - Cached by what the name promises: trunk puts a content hash in the names of the wasm, js,
//!   css and icon it emits (`app-0123456789abcdef_bg.wasm`), so those are `immutable` for a
//!   year; `index.html`, which names them, and the deep-link fallback to it are `no-cache`
//!   (revalidated on every visit with `Last-Modified`, so a new build is seen at once); files
//!   copied without a hash (nhsuk-frontend's `assets/`) get a short cache, then are revalidated.
//! - Deep links (`/groups`, `/messages/r-1001`) answer the client's `index.html`.
//!
//! Content types come from the file extension (`mime_guess`: `.wasm` is `application/wasm`,
//! which the browser needs to compile the module while it downloads).

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, VARY};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;

/// For files whose name carries trunk's content hash: the URL changes when the content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For `index.html` and the deep-link fallback: always revalidated.
pub const REVALIDATE: &str = "no-cache";
/// For files copied without a hash: an hour, then revalidated.
pub const SHORT: &str = "public, max-age=3600";

/// The service that answers every path outside `/api` from `dir` (a trunk `dist/`).
pub fn service(dir: &Path) -> Router {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let index =
        SetResponseHeader::overriding(index, CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// Adds `Cache-Control` (unless the fallback already chose `no-cache`) and `Vary`.
async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    // Every file may have a compressed variant: caches must key on the encoding asked for.
    headers.append(VARY, HeaderValue::from_static(ACCEPT_ENCODING.as_str()));
    response
}

/// The `Cache-Control` of a path that names a file of `dist/`.
pub fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || name.ends_with(".html") {
        REVALIDATE
    } else if has_content_hash(name) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// Whether `name` is `stem-HASH.ext` or `stem-HASH_bg.wasm` as trunk writes them: HASH is a
/// 64-bit hash in lower-case hex (`{:x}`, so leading zeros are dropped; 12 digits at least
/// leaves a one-in-a-million chance of missing a hashed name, which then only caches shortly).
fn has_content_hash(name: &str) -> bool {
    let Some((stem, _extension)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    (12..=16).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_immutable_and_the_rest_is_not() {
        for path in [
            "/app-3f1c2b9a8d7e6f50_bg.wasm",
            "/app-3f1c2b9a8d7e6f50.js",
            "/nhsuk-frontend.min-0a1b2c3d4e5f6a7b.css",
            "/favicon-0a1b2c3d4e5f6a7.svg",
        ] {
            assert_eq!(cache_policy(path), IMMUTABLE, "{path}");
        }
        for path in ["/", "/index.html", "/groups/"] {
            assert_eq!(cache_policy(path), REVALIDATE, "{path}");
        }
        for path in [
            "/assets/images/nhs-logo.svg",
            "/assets/fonts/frutiger-bold.woff2",
            "/app-notahash.js",
            "/app-3F1C2B9A8D7E6F50.js",
            "/app-3f1c.js",
        ] {
            assert_eq!(cache_policy(path), SHORT, "{path}");
        }
    }
}
