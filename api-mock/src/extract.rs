//! Extractors that refuse bad input in the API's error shape (API.md, Errors):
//! `ApiJson<T>` for bodies, `ApiQuery` for query strings and `ApiPath` for the id in a path.
//! Whatever else answers an error outside JSON (a rejection of axum's own, the timeout) is
//! rewritten by `crate::json_errors`.
//!
//! Order of checks for a body: size (413 `too_large`), Content-Type, JSON syntax, shape (wrong
//! types, missing or unknown fields), then `Validate` (empty or over-long strings): all 400
//! `invalid`, with `field` wherever one can be named.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest accepted body (API.md: 413 over 64 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Checks a decoded body beyond its types: strings neither empty nor over-long.
pub trait Validate {
    fn validate(&self) -> Result<(), ApiError>;
}

/// A required text field: not blank after trimming, at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::invalid(
            field,
            format!("{field} must not be empty."),
        ));
    }
    if value.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            format!("{field} must be at most {max} characters."),
        ));
    }
    Ok(())
}

/// A JSON body of type `T`, decoded strictly and validated.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || (essence.len() > 5 && essence.to_ascii_lowercase().ends_with("+json"))
}

/// The field a serde_json message names (`unknown field `x``, `missing field `x``).
fn named_field(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// The field a rejection's text names between backticks (axum: "Invalid UTF-8 in `id`"), if
/// it looks like a field name.
pub fn field_named_in(text: &str) -> Option<String> {
    named_field(text).filter(|f| {
        !f.is_empty()
            && f.len() <= 40
            && f.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

/// Decodes `bytes` as `T`, mapping every failure to 400 `invalid`.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = format!("The body is not valid: {inner}.");
            let field = if inner.is_syntax() || inner.is_eof() {
                None
            } else if inner.to_string().starts_with("missing field") {
                // The path points at the object holding the field; name the field itself.
                named_field(&inner.to_string()).map(|f| {
                    if path == "." || path.is_empty() {
                        f
                    } else {
                        format!("{path}.{f}")
                    }
                })
            } else if path != "." && !path.is_empty() {
                Some(path)
            } else {
                None
            };
            let mut error = ApiError::invalid_body(message);
            error.field = field;
            return Err(error);
        }
    };
    // Trailing characters after the value are malformed too.
    de.end()
        .map_err(|e| ApiError::invalid_body(format!("The body is not valid: {e}.")))?;
    Ok(value)
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Size first (API.md order: 413 before 400).
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large()
            } else {
                ApiError::invalid_body("The body could not be read.")
            }
        })?;
        if bytes.len() > BODY_LIMIT {
            return Err(ApiError::too_large());
        }
        match content_type {
            Some(ct) if is_json(&ct) => {}
            _ => {
                return Err(ApiError::invalid_body(
                    "The body must be JSON, sent with Content-Type: application/json.",
                ))
            }
        }
        let value: T = decode(&bytes)?;
        value.validate()?;
        Ok(Self(value))
    }
}

/// The id in a route's path (`/api/requests/{id}`...): percent-decoded UTF-8 of at most
/// [`crate::routes::limits::ID`] characters, else 400 `invalid` naming the parameter. Put
/// after the caller's extractor, so that 401 comes first (API.md order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(params) =
            axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| {
                    let text = rejection.body_text();
                    let field = field_named_in(&text).unwrap_or_else(|| "id".to_owned());
                    ApiError::invalid(field, "The id in the path is not valid UTF-8 text.")
                })?;
        let Some((name, value)) = params.into_iter().next() else {
            return Err(ApiError::not_found());
        };
        let max = crate::routes::limits::ID;
        if value.chars().count() > max {
            return Err(ApiError::invalid(
                name.clone(),
                format!("{name} must be at most {max} characters."),
            ));
        }
        Ok(Self(value))
    }
}

/// The query string as ordered pairs; a malformed one is 400 `invalid`.
#[derive(Debug, Clone, Default)]
pub struct ApiQuery(pub Vec<(String, String)>);

impl ApiQuery {
    /// The value of the last occurrence of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::invalid_body("The query string is malformed."))?;
        Ok(Self(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::wire::{AssignCommand, ShareCreate};

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let e = decode::<ShareCreate>(
            br#"{"target_id":"g","partner_ods_code":"A1","restricted":true,"x":1}"#,
        )
        .expect_err("unknown field");
        assert_eq!(e.field.as_deref(), Some("x"));
        let e = decode::<ShareCreate>(br#"{"target_id":"g","restricted":true}"#)
            .expect_err("missing field");
        assert_eq!(e.field.as_deref(), Some("partner_ods_code"));
    }

    #[test]
    fn wrong_types_name_the_field_and_syntax_errors_name_none() {
        let e =
            decode::<AssignCommand>(br#"{"target_id":"g","version":"1"}"#).expect_err("wrong type");
        assert_eq!(e.field.as_deref(), Some("version"));
        assert_eq!(e.code, "invalid");
        let e = decode::<AssignCommand>(br#"{"target_id":"g","#).expect_err("syntax");
        assert_eq!(e.field, None);
        assert!(decode::<AssignCommand>(br#"{"target_id":"g","version":1} x"#).is_err());
    }

    /// A5: `version` is a whole number; `3.0` is the same JSON number as `3` (the OpenAPI 3.1
    /// document's JSON Schema calls both integers, and schemathesis sends both).
    #[test]
    fn a_version_is_any_whole_json_number_and_nothing_else() {
        let version = |text: &str| {
            decode::<AssignCommand>(format!(r#"{{"target_id":"g","version":{text}}}"#).as_bytes())
                .map(|c| c.version)
        };
        assert_eq!(version("3").ok(), Some(3));
        assert_eq!(version("3.0").ok(), Some(3));
        assert_eq!(version("3e2").ok(), Some(300));
        // Read exactly (serde_json's `float_roundtrip`), not as ...53.5.
        assert_eq!(
            version("3687982614511354.0").ok(),
            Some(3_687_982_614_511_354)
        );
        for bad in ["1.5", "-1", "-1.0", "\"3\"", "null"] {
            let e = version(bad).expect_err(bad);
            assert_eq!(e.field.as_deref(), Some("version"), "{bad}");
        }
    }

    #[test]
    fn json_content_types_are_recognised() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
