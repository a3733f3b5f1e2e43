//! The password of a demo that faces a network (issue 23; API.md "Demo and operations"):
//! `--password-file FILE` puts every page and API call behind one shared password, asked once
//! per browser by a small page and then kept in a cookie.
//!
//! - The cookie holds `HMAC-SHA256(password, LABEL)` in hex: it proves the password was typed
//!   without holding it, survives a restart of the server, and dies when the password changes.
//!   `HttpOnly`, `SameSite=Strict`, `Path=/`, kept 30 days; `Secure` when users reach the
//!   server over HTTPS (`--base-url https://…`, or `X-Forwarded-Proto: https` from a proxy).
//! - Wrong passwords are slowed down: at most [`TRIES_PER_MINUTE`] wrong ones a minute per
//!   client address, then 429 with `Retry-After` until the oldest is a minute old. Behind a
//!   reverse proxy on the same machine (the peer is loopback) the address is the last one the
//!   proxy appended to `X-Forwarded-For`.
//! - Without the cookie a page (any `GET` outside `/api`) answers the password form with 401,
//!   at its own address, so a deep link lands where it pointed once the password is given;
//!   an API call answers API.md's JSON error, 401 `password_required`. `GET /api/health` stays
//!   open for the proxy's health check.
//!
//! The password is compared through the HMAC (constant time, `Mac::verify_slice`), never as
//! text, and never reaches a log line: the request log prints paths, not bodies.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::error::ApiError;

/// Where the password form lives and posts to.
pub const GATE_PATH: &str = "/password";
/// The cookie that says this browser gave the password.
pub const COOKIE: &str = "collab_demo";
/// Wrong passwords accepted from one address in a minute; the next one waits.
pub const TRIES_PER_MINUTE: usize = 5;
/// What the cookie's HMAC signs.
const LABEL: &[u8] = b"engage-collaboration demo password v1";
const WINDOW: Duration = Duration::from_secs(60);

/// The password gate: what a good cookie holds, and the wrong tries of each address.
pub struct Gate {
    mac: Hmac<Sha256>,
    cookie_value: String,
    https: bool,
    wrong: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Gate {
    /// A gate for `password` (the file's content without its final line break). `https` says
    /// users reach the server over HTTPS (`--base-url https://…`): the cookie is then `Secure`.
    pub fn new(password: &str, https: bool) -> Self {
        let mac = keyed(password);
        let cookie_value = hex::encode(mac.clone().chain_update(LABEL).finalize().into_bytes());
        Self {
            mac,
            cookie_value,
            https,
            wrong: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `typed` is the password, in constant time.
    fn accepts(&self, typed: &str) -> bool {
        let expected = self.mac.clone().chain_update(LABEL).finalize().into_bytes();
        keyed(typed)
            .chain_update(LABEL)
            .verify_slice(&expected)
            .is_ok()
    }

    fn admits(&self, jar: &CookieJar) -> bool {
        jar.get(COOKIE)
            .is_some_and(|c| constant_time_eq(c.value().as_bytes(), self.cookie_value.as_bytes()))
    }

    /// How long `address` must wait before its next try, if it used up its wrong tries.
    fn wait_for(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let mut wrong = self.wrong.lock().unwrap_or_else(|e| e.into_inner());
        let tries = wrong.entry(address).or_default();
        while tries
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            tries.pop_front();
        }
        (tries.len() >= TRIES_PER_MINUTE).then(|| {
            tries
                .front()
                .map_or(WINDOW, |t| WINDOW - now.duration_since(*t))
        })
    }

    fn record_wrong(&self, address: IpAddr, now: Instant) {
        let mut wrong = self.wrong.lock().unwrap_or_else(|e| e.into_inner());
        // Addresses whose tries have all expired are forgotten, so the map stays small.
        wrong.retain(|_, tries| {
            tries
                .back()
                .is_some_and(|t| now.duration_since(*t) < WINDOW)
        });
        wrong.entry(address).or_default().push_back(now);
    }
}

fn keyed(password: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    Hmac::<Sha256>::new_from_slice(password.as_bytes()).unwrap_or_else(|_| unreachable!())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Puts `router` behind the gate, and adds the password form at [`GATE_PATH`].
pub fn protect(router: Router, gate: Arc<Gate>) -> Router {
    let form = Router::new()
        .route(GATE_PATH, get(show_form).post(submit))
        .with_state(gate.clone());
    router
        .merge(form)
        .layer(middleware::from_fn_with_state(gate, require))
}

async fn require(
    State(gate): State<Arc<Gate>>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == GATE_PATH || path == "/api/health" || gate.admits(&jar) {
        return next.run(request).await;
    }
    let is_page = !path.starts_with("/api/")
        && path != "/api"
        && matches!(*request.method(), Method::GET | Method::HEAD);
    if is_page {
        let here = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        return page(StatusCode::UNAUTHORIZED, &here, None);
    }
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "password_required",
        "This demo asks for its password first: open it in a browser and enter the password.",
    )
    .into_response()
}

async fn show_form() -> Response {
    page(StatusCode::OK, "/", None)
}

#[derive(Deserialize)]
struct Typed {
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn submit(
    State(gate): State<Arc<Gate>>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(typed): Form<Typed>,
) -> Response {
    let address = client_address(connect.map(|Extension(c)| c.0), &headers);
    let now = Instant::now();
    let next = safe_next(&typed.next);
    if let Some(wait) = gate.wait_for(address, now) {
        let mut response = page(
            StatusCode::TOO_MANY_REQUESTS,
            next,
            Some("Too many wrong passwords from this address: wait a minute, then try again."),
        );
        let seconds = wait.as_secs().max(1);
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    if typed.password.is_empty() {
        return page(StatusCode::BAD_REQUEST, next, Some("Enter the password"));
    }
    if !gate.accepts(&typed.password) {
        gate.record_wrong(address, now);
        return page(
            StatusCode::UNAUTHORIZED,
            next,
            Some("The password is not right. Check it and try again."),
        );
    }
    let https = gate.https
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let cookie = Cookie::build((COOKIE, gate.cookie_value.clone()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .max_age(cookie::time::Duration::days(30))
        .build();
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(next) {
        out.insert(LOCATION, location);
    }
    if let Ok(cookie) = HeaderValue::from_str(&cookie.to_string()) {
        out.insert(SET_COOKIE, cookie);
    }
    response
}

/// The address wrong tries are counted against: the peer, or, when the peer is a proxy on
/// this machine, the last address it appended to `X-Forwarded-For`.
fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip());
    if !peer.is_loopback() {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

/// Where to go after the password: a path of this server only (never `//host` or a scheme).
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if local && !next.contains(['\r', '\n']) {
        next
    } else {
        "/"
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The password page: one field, an error summary when something is wrong, NHS colours, no
/// script and nothing from another origin.
fn page(status: StatusCode, next: &str, problem: Option<&str>) -> Response {
    let (title_prefix, summary, invalid) = match problem {
        Some(p) => (
            "Error: ",
            format!(
                r##"<div class="summary" role="alert" tabindex="-1"><h2>There is a problem</h2><p><a href="#password">{}</a></p></div>"##,
                escape(p)
            ),
            r#" aria-invalid="true" aria-describedby="password-error""#,
        ),
        None => ("", String::new(), ""),
    };
    let inline = problem.map_or(String::new(), |p| {
        format!(
            r#"<p class="error" id="password-error"><span class="visually-hidden">Error:</span> {}</p>"#,
            escape(p)
        )
    });
    let body = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_prefix}Enter the password – Collaboration</title>
<style>
body{{margin:0;font-family:Arial,sans-serif;color:#212b32;background:#f0f4f5}}
header{{background:#005eb8;color:#fff;padding:16px}}header p{{margin:0;font-weight:bold;font-size:1.2rem}}
main{{max-width:40rem;margin:0 auto;padding:24px 16px}}h1{{font-size:2rem;margin:0 0 16px}}
label{{display:block;font-weight:bold;margin-bottom:8px}}
input{{font-size:1.1rem;padding:8px;border:2px solid #4c6272;width:100%;max-width:20rem;box-sizing:border-box}}
input[aria-invalid]{{border-color:#d5281b}}
input:focus,button:focus,a:focus{{outline:4px solid #ffeb3b;box-shadow:0 4px 0 #212b32}}
button{{margin-top:16px;font-size:1.1rem;padding:12px 16px;background:#007f3b;color:#fff;border:0;border-radius:4px;box-shadow:0 4px 0 #00401e;cursor:pointer}}
.summary{{border:4px solid #d5281b;background:#fff;padding:16px;margin-bottom:24px}}.summary h2{{margin-top:0}}.summary a{{color:#d5281b;font-weight:bold}}
.error{{color:#d5281b;font-weight:bold;margin:0 0 8px}}.visually-hidden{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}}
</style></head>
<body><header><p>NHS Collaboration (demo)</p></header>
<main id="maincontent">{summary}<h1>Enter the password</h1>
<p>This demonstration is shared with a password. Ask the person who sent you the link for it.</p>
<form method="post" action="{GATE_PATH}" novalidate>
<input type="hidden" name="next" value="{next}">
<label for="password">Password</label>{inline}
<input type="password" id="password" name="password" autocomplete="current-password"{invalid}>
<div><button type="submit">Continue</button></div>
</form></main></body></html>"#,
        next = escape(next),
    );
    let mut response = (status, Html(body)).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_checked_through_the_hmac() {
        let gate = Gate::new("correct horse", false);
        assert!(gate.accepts("correct horse"));
        assert!(!gate.accepts("correct hors"));
        assert!(!gate.accepts(""));
        assert_ne!(gate.cookie_value, Gate::new("other", false).cookie_value);
        assert!(!gate.cookie_value.contains("correct"));
    }

    #[test]
    fn five_wrong_tries_a_minute_then_wait() {
        let gate = Gate::new("pw", false);
        let a: IpAddr = "192.0.2.1".parse().expect("address");
        let b: IpAddr = "192.0.2.2".parse().expect("address");
        let t0 = Instant::now();
        for i in 0..TRIES_PER_MINUTE {
            assert_eq!(gate.wait_for(a, t0), None, "try {i}");
            gate.record_wrong(a, t0);
        }
        let wait = gate.wait_for(a, t0 + Duration::from_secs(10));
        assert_eq!(wait, Some(Duration::from_secs(50)));
        assert_eq!(gate.wait_for(b, t0), None, "another address is not slowed");
        assert_eq!(gate.wait_for(a, t0 + WINDOW), None, "a minute later");
    }

    #[test]
    fn next_stays_on_this_server() {
        assert_eq!(safe_next("/messages?folder=all"), "/messages?folder=all");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "", "x"] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn behind_a_local_proxy_the_forwarded_address_counts() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        let local: SocketAddr = "127.0.0.1:5000".parse().expect("address");
        let remote: SocketAddr = "192.0.2.3:5000".parse().expect("address");
        assert_eq!(
            client_address(Some(local), &h),
            "198.51.100.7".parse::<IpAddr>().expect("address")
        );
        assert_eq!(client_address(Some(remote), &h), remote.ip());
    }
}
