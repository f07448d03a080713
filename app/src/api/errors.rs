//! The one error shape of the API and its codes.
//!
//! Every failure, including a malformed request the framework rejects, comes
//! back as `{"error": code, "message": text, "details": {field: [code…]}}`.
//! Branch on `error` and `details`; `message` is for people and may change.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
    /// Per-field problems, e.g. `{"username": ["taken"]}`. Empty when the
    /// failure is not about a field.
    #[serde(default)]
    pub details: BTreeMap<String, Vec<FieldCode>>,
}

/// What went wrong, one code per HTTP status family the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or the request is otherwise unreadable.
    MalformedRequest,
    /// 401: not logged in, or the login was wrong (one code for both).
    Unauthorized,
    /// 403: logged in, but not allowed (or a cross-site request).
    Forbidden,
    /// 404
    NotFound,
    /// 405
    MethodNotAllowed,
    /// 409: a username or e-mail address is taken.
    Conflict,
    /// 412: `If-Match` names an older version; reload and try again.
    PreconditionFailed,
    /// 413: the body is over the API's limit.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: well-formed but invalid; `details` names the fields.
    ValidationFailed,
    /// 429: too many attempts; see `Retry-After`.
    RateLimited,
    /// 408: the request took too long.
    Timeout,
    /// 503: storage is down or the server is shedding load; try again.
    Unavailable,
    /// 500: a bug; the server logged it.
    Internal,
    /// A code this build does not know yet (a newer server).
    Unknown,
}

impl ErrorCode {
    const ALL: [Self; 15] = [
        Self::MalformedRequest,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::ValidationFailed,
        Self::RateLimited,
        Self::Timeout,
        Self::Unavailable,
        Self::Internal,
        Self::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::RateLimited => "rate_limited",
            Self::Timeout => "timeout",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::Unknown => "unknown",
        }
    }
}

/// What is wrong with one field, in `details`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// Missing.
    Required,
    /// Empty, or only whitespace.
    Blank,
    TooShort,
    TooLong,
    /// A character the field does not allow (e.g. a control character).
    InvalidCharacters,
    /// Allowed characters in a shape that is not allowed (e.g. an e-mail
    /// address without a domain).
    InvalidFormat,
    /// A value that could not be read (e.g. `limit=abc`, an id that is not
    /// one).
    Invalid,
    /// A JSON value of the wrong type, e.g. an object where a string belongs.
    InvalidType,
    /// A field the endpoint does not know.
    UnknownField,
    /// Already used by another account.
    Taken,
    /// Outside the allowed range (e.g. `limit`).
    OutOfRange,
    /// Does not match (e.g. the current password, or `tweetedby` naming
    /// someone other than the logged-in user).
    Mismatch,
    Unknown,
}

impl FieldCode {
    const ALL: [Self; 13] = [
        Self::Required,
        Self::Blank,
        Self::TooShort,
        Self::TooLong,
        Self::InvalidCharacters,
        Self::InvalidFormat,
        Self::Invalid,
        Self::InvalidType,
        Self::UnknownField,
        Self::Taken,
        Self::OutOfRange,
        Self::Mismatch,
        Self::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Blank => "blank",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::InvalidCharacters => "invalid_characters",
            Self::InvalidFormat => "invalid_format",
            Self::Invalid => "invalid",
            Self::InvalidType => "invalid_type",
            Self::UnknownField => "unknown_field",
            Self::Taken => "taken",
            Self::OutOfRange => "out_of_range",
            Self::Mismatch => "mismatch",
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field's code is also why the server's parsers refused a value.
impl std::fmt::Display for FieldCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// The codes are read by hand rather than derived: serde's derived enum
// visitor costs the browser's WASM several times this one string lookup,
// for each enum. A code this build does not know reads as `Unknown`.
fn read_code<'de, D: Deserializer<'de>, C: Copy>(
    deserializer: D,
    codes: &[C],
    as_str: fn(C) -> &'static str,
    unknown: C,
) -> Result<C, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(codes
        .iter()
        .copied()
        .find(|&code| as_str(code) == text)
        .unwrap_or(unknown))
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_code(deserializer, &Self::ALL, Self::as_str, Self::Unknown)
    }
}

impl<'de> Deserialize<'de> for FieldCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_code(deserializer, &Self::ALL, Self::as_str, Self::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorCode, FieldCode};

    #[test]
    fn every_code_reads_back_what_it_writes() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        for code in FieldCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<FieldCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"teapot\"").unwrap(),
            ErrorCode::Unknown
        );
        assert_eq!(
            serde_json::from_str::<FieldCode>("\"too_purple\"").unwrap(),
            FieldCode::Unknown
        );
    }

    #[test]
    fn a_code_that_is_not_a_string_is_refused() {
        assert!(serde_json::from_str::<ErrorCode>("42").is_err());
    }
}
