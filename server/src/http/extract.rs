//! Extractors whose rejections speak the API's error shape, instead of
//! axum's plain-text ones; and who is asking: [`AuthUser`] (401 without a
//! session), [`MaybeUser`], [`ClientIp`].

use std::{net::IpAddr, sync::Arc};

use app::api::FieldCode;
use axum::{
    body::Bytes,
    extract::{FromRef, FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, StatusCode},
};
use axum_extra::extract::CookieJar;
use serde::de::DeserializeOwned;

use super::cookies;
use crate::{
    config::Config,
    domain::{Id, Version},
    error::{Details, Error, Result},
    services::{Sessions, SignedIn},
};

/// A JSON request body. It must be declared `application/json` (415), be
/// JSON (400), and fit the type (422, with the offending field in
/// `details`); its size is capped by the API's `DefaultBodyLimit` (413).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        if !is_json(req.headers()) {
            return Err(Error::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| body_error(rejection.status()))?;
        parse(&bytes).map(AppJson)
    }
}

/// Why a body could not be read: too large (413), or cut off (400).
pub fn body_error(status: StatusCode) -> Error {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Error::PayloadTooLarge
    } else {
        Error::Malformed("could not read the request body".into())
    }
}

/// `application/json`, optionally with parameters (`; charset=utf-8`) or a
/// `+json` suffix type.
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json") || subtype.to_ascii_lowercase().ends_with("+json"))
}

/// Deserializes a JSON body, classifying failures as 400 (not JSON) or 422
/// (JSON of the wrong shape, with the field named). The body must be one
/// object with each key once: a repeated key would mean one thing to this
/// server and maybe another to a proxy or log reader that keeps the first,
/// and serde would read an array as a struct's fields in order.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Syntax first, shape second: `{"unknown": }` is malformed (400) even
    // though a streaming parse would trip over the unknown field first.
    let value = match serde_json::from_slice::<strict::Value>(bytes) {
        Ok(strict::Value(value)) => value,
        Err(error) if error.is_data() => return Err(strict::duplicate_key(&error)),
        Err(_) => {
            return Err(Error::Malformed(
                "the request body is not valid JSON".into(),
            ))
        }
    };
    if !value.is_object() {
        return Err(Error::Validation {
            message: "body: the request body must be a JSON object".into(),
            details: Details::from([("body".to_string(), vec![FieldCode::InvalidType])]),
        });
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        data_error(&path, error.inner())
    })
}

/// A JSON value read with every object's keys checked for repeats, which
/// `serde_json::Value` keeps silently (the last one wins).
mod strict {
    use std::fmt;

    use app::api::FieldCode;
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::Map;

    use crate::error::{Details, Error};

    const DUPLICATE: &str = "duplicate key `";

    pub struct Value(pub serde_json::Value);

    /// The 422 for a repeated key, naming it.
    pub fn duplicate_key(error: &serde_json::Error) -> Error {
        let text = error.to_string();
        let key = text
            .strip_prefix(DUPLICATE)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or("body")
            .to_string();
        Error::Validation {
            message: format!("{key}: the key appears more than once"),
            details: Details::from([(key, vec![FieldCode::Invalid])]),
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(Strict)
        }
    }

    struct Strict;

    impl<'de> Visitor<'de> for Strict {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value(v.into()))
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value(serde_json::Value::Null))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(Value(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value(items.into()))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut object = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let Value(value) = map.next_value()?;
                if object.contains_key(&key) {
                    return Err(de::Error::custom(format!("{DUPLICATE}{key}`")));
                }
                object.insert(key, value);
            }
            Ok(Value(object.into()))
        }
    }
}

/// serde reports unknown and missing fields only in its message; turn them
/// into `details` a client can branch on.
fn data_error(path: &str, error: &serde_json::Error) -> Error {
    let text = error.to_string();
    let at = |field: String| {
        // serde_path_to_error already ends the path with an unknown key.
        if path.is_empty() || path == "." {
            field
        } else if path == field || path.ends_with(&format!(".{field}")) {
            path.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    let (field, code) = if let Some(field) = quoted(&text, "unknown field `") {
        (at(field), FieldCode::UnknownField)
    } else if let Some(field) = quoted(&text, "missing field `") {
        (at(field), FieldCode::Required)
    } else if path.is_empty() || path == "." {
        ("body".to_string(), FieldCode::InvalidType)
    } else {
        (path.to_string(), FieldCode::InvalidType)
    };
    let message = format!("{field}: {}", strip_position(&text));
    Error::Validation {
        message,
        details: Details::from([(field, vec![code])]),
    }
}

/// The name serde quotes after `prefix` ("unknown field `admin`, …").
fn quoted(text: &str, prefix: &str) -> Option<String> {
    text.strip_prefix(prefix)
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string)
}

/// serde_json appends " at line 1 column 9"; that is noise to a client.
fn strip_position(text: &str) -> &str {
    text.rfind(" at line ").map_or(text, |i| &text[..i])
}

/// Query parameters; a parameter of the wrong type or an unknown one is a
/// 422 naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for AppQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(AppQuery)
            .map_err(|error| {
                let text = error.inner().to_string();
                let (field, code) = match quoted(&text, "unknown field `") {
                    Some(field) => (field, FieldCode::UnknownField),
                    None => {
                        let path = error.path().to_string();
                        let field = if path.is_empty() || path == "." {
                            "query".to_string()
                        } else {
                            path
                        };
                        (field, FieldCode::Invalid)
                    }
                };
                Error::Validation {
                    message: format!("{field}: {text}"),
                    details: Details::from([(field, vec![code])]),
                }
            })
    }
}

/// A path id that is not an id names nothing: 404, like an unknown one.
pub fn parse_id(raw: &str) -> Result<Id> {
    raw.parse().map_err(|_| Error::NotFound)
}

/// `If-Match: "7"` (or `W/"7"`): the user revision the client last read.
/// Absent or `*` means any. Anything else cannot match the current
/// revision, so it is refused (412) before any work.
pub struct IfMatch(pub Option<Version>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = value
            .to_str()
            .map_err(|_| Error::PreconditionFailed)?
            .trim();
        if text == "*" {
            return Ok(Self(None));
        }
        // RFC 9110 compares `If-Match` strongly: a weak tag never matches.
        if text.starts_with("W/") {
            return Err(Error::PreconditionFailed);
        }
        text.trim_matches('"')
            .parse::<u64>()
            .map(|n| Self(Some(Version::new(n))))
            .map_err(|_| Error::PreconditionFailed)
    }
}

/// The logged-in user, if any. A missing, unknown, expired or superseded
/// session is `None`, never an error; a store that cannot answer is (503).
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<SignedIn>);

impl<S> FromRequestParts<S> for MaybeUser
where
    Sessions: FromRef<S>,
    Arc<Config>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        if let Some(resolved) = parts.extensions.get::<MaybeUser>() {
            return Ok(resolved.clone());
        }
        let config = Arc::<Config>::from_ref(state);
        let jar = CookieJar::from_headers(&parts.headers);
        let user = match cookies::session_token(&jar, &config) {
            Some(token) => Sessions::from_ref(state).resolve(token).await?,
            None => None,
        };
        // Several extractors may ask for one request; resolve it once.
        parts.extensions.insert(Self(user.clone()));
        Ok(Self(user))
    }
}

/// A logged-in user: the session cookie names a live session (else 401).
#[derive(Clone, Debug)]
pub struct AuthUser(pub SignedIn);

impl<S> FromRequestParts<S> for AuthUser
where
    Sessions: FromRef<S>,
    Arc<Config>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        MaybeUser::from_request_parts(parts, state)
            .await?
            .0
            .map(AuthUser)
            .ok_or(Error::Unauthorized)
    }
}

/// The client's address, for the rate limits, as the `client_ip`
/// middleware resolved it once for the whole request.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .ok_or_else(|| Error::internal("the client_ip layer did not run"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        username: String,
        password: String,
    }

    fn details(error: Error) -> (u16, Details) {
        let status = error.status().as_u16();
        match error {
            Error::Validation { details, .. } => (status, details),
            _ => (status, Details::new()),
        }
    }

    #[test]
    fn classifies_bodies() {
        assert_eq!(details(parse::<Login>(b"{").unwrap_err()).0, 400);
        assert_eq!(details(parse::<Login>(b"nope").unwrap_err()).0, 400);
        assert_eq!(
            details(parse::<Login>(br#"{"username":"a","password":"b"} x"#).unwrap_err()).0,
            400
        );
        let (status, d) =
            details(parse::<Login>(br#"{"username":{"$gt":""},"password":"x"}"#).unwrap_err());
        assert_eq!(status, 422);
        assert_eq!(d["username"], vec![FieldCode::InvalidType]);
        let (status, d) = details(
            parse::<Login>(br#"{"username":"a","password":"b","admin":true}"#).unwrap_err(),
        );
        assert_eq!(status, 422);
        assert_eq!(d["admin"], vec![FieldCode::UnknownField]);
        let (_, d) = details(parse::<Login>(br#"{"username":"a"}"#).unwrap_err());
        assert_eq!(d["password"], vec![FieldCode::Required]);
        let (_, d) = details(parse::<Login>(b"[]").unwrap_err());
        assert_eq!(d["body"], vec![FieldCode::InvalidType]);
    }

    proptest::proptest! {
        /// Whatever arrives, the parser answers 400 or 422 (or accepts):
        /// never a panic, never another status.
        #[test]
        fn any_body_is_accepted_or_a_client_error(body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            if let Err(error) = parse::<app::api::SignUp>(&body) {
                proptest::prop_assert!([400, 422].contains(&error.status().as_u16()));
            }
        }

        #[test]
        fn any_json_object_is_accepted_or_422(fields in proptest::collection::btree_map("[a-z_$]{1,10}", "[ -~]{0,12}", 0..6)) {
            let body = serde_json::to_vec(&fields).unwrap();
            if let Err(error) = parse::<app::api::LoginRequest>(&body) {
                proptest::prop_assert_eq!(error.status().as_u16(), 422);
            }
        }
    }

    #[test]
    fn recognises_json_content_types() {
        let check = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&headers)
        };
        assert!(check("application/json"));
        assert!(check("application/json; charset=utf-8"));
        assert!(check("Application/JSON"));
        assert!(check("application/merge-patch+json"));
        assert!(!check("text/plain"));
        assert!(!check("application/x-www-form-urlencoded"));
        assert!(!check("application/jsonx"));
    }
}
