//! The built client carried inside the binary (issue 23; feature `embed-client`), served the
//! way `static_files` serves `--static DIR`, so a copied binary behaves like a checkout:
//!
//! - the `.br` and `.gz` files `scripts/build-client` wrote beside each file of `dist/` are
//!   embedded too and picked by `Accept-Encoding` (brotli first), with `Vary: Accept-Encoding`;
//! - `Cache-Control` comes from `static_files::cache_policy` (hashed names `immutable`,
//!   `index.html` and deep links `no-cache`, the rest an hour);
//! - revalidation uses an `ETag` (the SHA-256 of the uncompressed file, which rust-embed computes
//!   at build time) in place of `ServeDir`'s `Last-Modified`, since an embedded file has no
//!   modification time of its own;
//! - a path that names no file answers the client's `index.html` (deep links).
//!
//! rust-embed does the embedding (and the content types through `mime_guess`); only the choice
//! of variant and the headers are written here, because they must match `static_files`.

use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use rust_embed::Embed;

use crate::static_files::{cache_policy, REVALIDATE};

/// `dist/` as it was when the binary was compiled (`scripts/release` builds it first).
#[derive(Embed)]
#[folder = "../dist/"]
struct Client;

/// Whether this binary carries a client (always, when the feature is on).
pub fn available() -> bool {
    Client::get("index.html").is_some()
}

/// The service that answers every path outside `/api` from the embedded `dist/`.
pub fn service() -> Router {
    Router::new().fallback(serve)
}

async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = uri.path().trim_start_matches('/');
    let (name, policy) = match Client::get(path) {
        Some(_) if !path.is_empty() => (path.to_owned(), cache_policy(uri.path())),
        _ => ("index.html".to_owned(), REVALIDATE),
    };
    let Some(file) = Client::get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", hex::encode(file.metadata.sha256_hash()));
    let mut response = if matches(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let accepted = accepted_encodings(&headers);
        let variant = [("br", ".br"), ("gzip", ".gz")]
            .into_iter()
            .filter(|(coding, _)| accepted.contains(coding))
            .find_map(|(coding, suffix)| {
                Client::get(&format!("{name}{suffix}")).map(|f| (coding, f))
            });
        let mut response = match variant {
            Some((coding, compressed)) => {
                let mut r = compressed.data.into_owned().into_response();
                r.headers_mut()
                    .insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
                r
            }
            None => file.data.clone().into_owned().into_response(),
        };
        if let Ok(value) = HeaderValue::from_str(file.metadata.mimetype()) {
            response.headers_mut().insert(CONTENT_TYPE, value);
        }
        response
    };
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(ETAG, value);
    }
    out.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    out.append(VARY, HeaderValue::from_static(ACCEPT_ENCODING.as_str()));
    response
}

/// Whether `If-None-Match` names this version (or `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// The content codings `Accept-Encoding` allows (a `q=0` refuses one).
fn accepted_encodings(headers: &HeaderMap) -> Vec<&'static str> {
    let mut accepted = Vec::new();
    for item in headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        for known in ["br", "gzip"] {
            if !refused && (coding == known || coding == "*") {
                accepted.push(known);
            }
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &'static str, value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn encodings_follow_accept_encoding_and_q_zero_refuses() {
        assert_eq!(
            accepted_encodings(&with("accept-encoding", "gzip, deflate, br")),
            ["gzip", "br"]
        );
        assert_eq!(
            accepted_encodings(&with("accept-encoding", "br;q=0, gzip;q=0.5")),
            ["gzip"]
        );
        assert!(accepted_encodings(&with("accept-encoding", "identity")).is_empty());
        assert!(accepted_encodings(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn if_none_match_matches_strong_weak_and_star() {
        assert!(matches(&with("if-none-match", "\"ab\""), "\"ab\""));
        assert!(matches(
            &with("if-none-match", "W/\"ab\", \"cd\""),
            "\"ab\""
        ));
        assert!(matches(&with("if-none-match", "*"), "\"ab\""));
        assert!(!matches(&with("if-none-match", "\"cd\""), "\"ab\""));
    }
}
