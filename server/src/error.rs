//! The API's one error type. Every handler and extractor returns it, and its
//! single [`IntoResponse`] is the only place that turns a failure into a
//! status code and the shared [`ErrorBody`] shape.
//!
//! 5xx responses log their cause here and send a generic body: driver
//! messages, file paths and panic texts never reach a client.

use std::{collections::BTreeMap, time::Duration};

use app::api::{ErrorBody, ErrorCode, FieldCode};
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{
    domain::user::DomainError,
    passwords::HashError,
    store::{Conflict, StoreError},
};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Per-field problems, reported in `details`.
pub type Details = BTreeMap<String, Vec<FieldCode>>;

/// A cause we log but never show.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: unreadable request (e.g. not JSON).
    #[error("{0}")]
    Malformed(String),
    /// 401: no valid session.
    #[error("you need to log in")]
    Unauthorized,
    /// 401: unknown user or wrong password — deliberately indistinguishable.
    #[error("wrong username or password")]
    BadCredentials,
    /// 403
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404
    #[error("not found")]
    NotFound,
    /// 404 for a path no API route serves.
    #[error("no such API endpoint")]
    UnknownEndpoint,
    /// 405
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: a unique value is taken.
    #[error("already taken")]
    Conflict(Details),
    /// 412: `If-Match` is stale.
    #[error("the resource changed since you read it; reload and try again")]
    PreconditionFailed,
    /// 413
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// 415
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// 422: well-formed but invalid.
    #[error("{message}")]
    Validation { message: String, details: Details },
    /// 429
    #[error("too many attempts; try again later")]
    RateLimited { retry_after: Duration },
    /// 408
    #[error("the request took too long")]
    Timeout,
    /// 408: the client sent its body too slowly.
    #[error("the request body took too long to arrive")]
    SlowBody,
    /// 503: the server is at its concurrency limit.
    #[error("the server is busy; try again")]
    Overloaded,
    /// 503: storage is down.
    #[error("storage unavailable")]
    Unavailable(#[source] Cause),
    /// 500: a bug.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl Error {
    /// A 422 about one field.
    pub fn invalid(field: impl Into<String>, code: FieldCode) -> Self {
        let field = field.into();
        Self::Validation {
            message: format!("{field} is invalid"),
            details: BTreeMap::from([(field, vec![code])]),
        }
    }

    /// A 422 naming `details`' fields.
    pub fn invalid_fields(details: Details) -> Self {
        let fields: Vec<&str> = details.keys().map(String::as_str).collect();
        Self::Validation {
            message: format!("invalid {}", fields.join(", ")),
            details,
        }
    }

    /// A 409 about one field.
    pub fn taken(field: impl Into<String>) -> Self {
        Self::Conflict(BTreeMap::from([(field.into(), vec![FieldCode::Taken])]))
    }

    pub fn internal(cause: impl Into<Cause>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::UnknownEndpoint => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Timeout | Self::SlowBody => StatusCode::REQUEST_TIMEOUT,
            Self::Overloaded | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Malformed(_) => ErrorCode::MalformedRequest,
            Self::Unauthorized | Self::BadCredentials => ErrorCode::Unauthorized,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound | Self::UnknownEndpoint => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::PreconditionFailed => ErrorCode::PreconditionFailed,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Self::Validation { .. } => ErrorCode::ValidationFailed,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Timeout | Self::SlowBody => ErrorCode::Timeout,
            Self::Overloaded | Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The error a bare status would mean, for responses made by layers
    /// (axum's 405, a timeout, a shed request) that carry no error of ours.
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::BAD_REQUEST => Self::Malformed("malformed request".into()),
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::FORBIDDEN => Self::Forbidden("not allowed"),
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            StatusCode::REQUEST_TIMEOUT => Self::Timeout,
            StatusCode::SERVICE_UNAVAILABLE => Self::Overloaded,
            StatusCode::UNPROCESSABLE_ENTITY => Self::Validation {
                message: "invalid request".into(),
                details: Details::new(),
            },
            status if status.is_client_error() => Self::Malformed(
                status
                    .canonical_reason()
                    .unwrap_or("bad request")
                    .to_lowercase(),
            ),
            status => Self::internal(format!("a layer answered {status} without a body")),
        }
    }

    /// What a client reads: the one JSON shape (pages show the same).
    pub fn into_body(self) -> ErrorBody {
        let code = self.code();
        let status = self.status();
        // A 5xx says what kind of failure it was, never why.
        let message = if status.is_server_error() {
            match &self {
                Self::Unavailable(_) => "storage is unavailable; try again shortly".to_string(),
                Self::Overloaded => self.to_string(),
                _ => "something went wrong on our side".to_string(),
            }
        } else {
            self.to_string()
        };
        let details = match self {
            Self::Conflict(details) | Self::Validation { details, .. } => details,
            _ => Details::new(),
        };
        ErrorBody {
            error: code,
            message,
            details,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Internal(cause) => tracing::error!(error = %cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(error = %cause, "storage unavailable"),
            _ => {}
        }
        let retry_after = match &self {
            Self::RateLimited { retry_after } => Some(retry_after.as_secs().max(1)),
            Self::Overloaded | Self::Unavailable(_) => Some(1),
            _ => None,
        };
        let mut response = (status, axum::Json(self.into_body())).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(Conflict::UsernameTaken) => Self::taken("username"),
            StoreError::Conflict(Conflict::EmailTaken) => Self::taken("email"),
            StoreError::Conflict(Conflict::StaleVersion) => Self::PreconditionFailed,
            StoreError::Conflict(Conflict::Blocked) => Self::Forbidden("this user has blocked you"),
            StoreError::NotFound | StoreError::Conflict(Conflict::NoParent) => Self::NotFound,
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            error @ StoreError::Misconfigured(_) => Self::Unavailable(error.into()),
            error @ (StoreError::Conflict(Conflict::DuplicateId)
            | StoreError::Corrupt(_)
            | StoreError::Internal(_)) => Self::internal(error),
        }
    }
}

impl From<DomainError> for Error {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::NotFound => Self::NotFound,
            DomainError::AlreadyRegistered => Self::internal(error),
            DomainError::Yourself => Self::Validation {
                message: error.to_string(),
                details: Details::new(),
            },
            DomainError::BlockedByThem => Self::Forbidden("this user has blocked you"),
        }
    }
}

impl From<HashError> for Error {
    fn from(error: HashError) -> Self {
        match error {
            HashError::Busy => Self::Overloaded,
            HashError::Failed(_) => Self::internal(error),
        }
    }
}

/// Parses several fields at once: a tuple of `(field name, parsed)` pairs
/// becomes the tuple of values, or one 422 naming every field that failed
/// (not just the first), so a form can mark them all.
pub trait Fields {
    type Values;
    fn parsed(self) -> Result<Self::Values>;
}

macro_rules! fields_tuple {
    ($($t:ident $v:ident),+) => {
        impl<$($t),+> Fields for ($((&str, Result<$t, FieldCode>),)+) {
            type Values = ($($t,)+);
            fn parsed(self) -> Result<Self::Values> {
                let ($($v,)+) = self;
                let mut details = Details::new();
                $(
                    if let (field, Err(code)) = &$v {
                        details.entry(field.to_string()).or_default().push(*code);
                    }
                )+
                match ($($v.1,)+) {
                    ($(Ok($v),)+) => Ok(($($v,)+)),
                    _ => Err(Error::invalid_fields(details)),
                }
            }
        }
    };
}
fields_tuple!(A a);
fields_tuple!(A a, B b);
fields_tuple!(A a, B b, C c);
fields_tuple!(A a, B b, C c, D d);
fields_tuple!(A a, B b, C c, D d, E e);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_never_show_their_cause() {
        let body = Error::internal("disk /var/lib/secret is full").into_body();
        assert_eq!(body.error, ErrorCode::Internal);
        assert!(!body.message.contains("secret"), "{}", body.message);
        let body = Error::Unavailable("mongodb://user:pw@host refused".into()).into_body();
        assert!(!body.message.contains("pw"), "{}", body.message);
    }

    #[test]
    fn every_invalid_field_is_named_at_once() {
        let both = (
            ("username", Err::<(), _>(FieldCode::TooShort)),
            ("email", Err::<(), _>(FieldCode::InvalidFormat)),
            ("name", Ok(7)),
        )
            .parsed()
            .unwrap_err()
            .into_body();
        assert_eq!(both.details.len(), 2);
        assert_eq!(both.details["email"], vec![FieldCode::InvalidFormat]);
        assert_eq!((("a", Ok(1)), ("b", Ok("x"))).parsed().unwrap(), (1, "x"));
    }

    #[test]
    fn field_errors_name_the_field() {
        let body = Error::invalid("limit", FieldCode::OutOfRange).into_body();
        assert_eq!(body.error, ErrorCode::ValidationFailed);
        assert_eq!(body.details["limit"], vec![FieldCode::OutOfRange]);
    }
}
