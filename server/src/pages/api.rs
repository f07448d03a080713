//! The JSON API, called in-process. Pages are rendered from what the API
//! answers and the HTML forms are adapters onto it, so there is one
//! implementation of every rule (validation, rate limits, sessions,
//! `If-Match`) and the data a page ships to the browser is exactly what the
//! browser would fetch itself.

use app::api::{ErrorBody, ErrorCode};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode},
    response::Response,
    Router,
};
use serde::{de::DeserializeOwned, Serialize};
use tower::ServiceExt;

use crate::AppState;

/// Largest API answer a page reads (a page of tweets is far below it).
const MAX_BODY: usize = 1 << 20;

#[derive(Clone)]
pub struct Api(Router);

/// What the API answered: the decoded body, or its error, with the headers
/// a page passes on (`Set-Cookie`) or reads (`ETag`).
pub struct Answer<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Result<T, ErrorBody>,
}

/// The browser request an API call is made on behalf of: its session
/// cookie and its address (for the rate limits).
#[derive(Clone, Default)]
pub struct Caller {
    cookie: Option<HeaderValue>,
    connect_info: Option<ConnectInfo<std::net::SocketAddr>>,
}

impl Caller {
    pub fn of<B>(request: &Request<B>) -> Self {
        Self {
            cookie: request.headers().get(header::COOKIE).cloned(),
            connect_info: request.extensions().get().cloned(),
        }
    }

    /// The same caller with the session an earlier call just started.
    pub fn with_session_from(mut self, headers: &HeaderMap) -> Self {
        if let Some(cookie) = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .and_then(|pair| HeaderValue::from_str(pair).ok())
        {
            self.cookie = Some(cookie);
        }
        self
    }
}

impl Api {
    pub fn new(state: &AppState) -> Self {
        Self(crate::http::router().with_state(state.clone()))
    }

    pub async fn get<T: DeserializeOwned>(&self, caller: &Caller, uri: &str) -> Answer<T> {
        self.call(caller, Method::GET, uri, None, Body::empty())
            .await
    }

    pub async fn send<T: DeserializeOwned>(
        &self,
        caller: &Caller,
        method: Method,
        uri: &str,
        if_match: Option<&str>,
        body: &impl Serialize,
    ) -> Answer<T> {
        let json = serde_json::to_vec(body).expect("DTOs serialize");
        self.call(caller, method, uri, if_match, Body::from(json))
            .await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        caller: &Caller,
        method: Method,
        uri: &str,
        if_match: Option<&str>,
        body: Body,
    ) -> Answer<T> {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &caller.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(etag) = if_match {
            request = request.header(header::IF_MATCH, etag);
        }
        let mut request = request
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .expect("a valid request");
        if let Some(info) = caller.connect_info {
            request.extensions_mut().insert(info);
        }
        let response = match self.0.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        read(response).await
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Answer<T> {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let body = if parts.status.is_success() {
        // A 204 has no body; `()` reads "null" as well as nothing.
        let bytes: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        serde_json::from_slice(bytes).map_err(|error| {
            tracing::error!(%error, "the API's answer does not fit its type");
            internal()
        })
    } else {
        Err(serde_json::from_slice(&bytes).unwrap_or_else(|_| internal()))
    };
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

fn internal() -> ErrorBody {
    ErrorBody {
        error: ErrorCode::Internal,
        message: "something went wrong on our side".into(),
        details: Default::default(),
    }
}
