//! The one error shape of the API and its codes.
//!
//! Every failure, including a malformed request the framework rejects, comes
//! back as `{"error": code, "message": text, "details": {field: [code…]}}`.
//! Branch on `error` and `details`; `message` is for people and may change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    #[serde(other)]
    Unknown,
}
