//! The layers every request passes through, secure by default:
//! load shedding, a request timeout, panic recovery, CSRF checks on
//! state-changing requests, security headers on every response, and the API's
//! error shape on every API failure (including those made by the layers).

use std::any::Any;

use axum::{
    error_handling::HandleErrorLayer,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    BoxError, Router,
};
use leptos::prelude::{expect_context, LeptosOptions};
use tower::{limit::GlobalConcurrencyLimitLayer, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;

use crate::{error::Error, http::extract::is_json, http::settings::ApiConfig};

/// Wraps the whole application (pages and API) in the security layers.
pub fn apply(router: Router, config: &ApiConfig) -> Router {
    // Listed outermost first: headers and the error shape also cover what the
    // inner layers answer themselves (a shed request, a timeout, a panic).
    router.layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(
                config.secure_cookies,
                security_headers,
            ))
            .layer(middleware::from_fn(api_error_shape))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(HandleErrorLayer::new(overloaded_or_timeout))
            .load_shed()
            // Global: `Router::layer` clones layers per route, and the limit
            // must count requests across all of them.
            .layer(GlobalConcurrencyLimitLayer::new(
                config.max_concurrent_requests,
            ))
            .timeout(config.request_timeout)
            .layer(middleware::from_fn(csrf)),
    )
}

async fn overloaded_or_timeout(error: BoxError) -> Response {
    if error.is::<tower::timeout::error::Elapsed>() {
        Error::Timeout.into_response()
    } else if error.is::<tower::load_shed::error::Overloaded>() {
        // A shed request also closes its connection. Kept alive, every
        // client of a flood re-sends at once and thousands of connection
        // tasks stay runnable, so the accepted requests wait behind them in
        // the runtime's queues (measured: 2,000 connections cut accepted
        // throughput to a few hundred a second). Closed, a client has to
        // reconnect through the single accept loop, which paces the flood.
        let mut response = Error::Overloaded.into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    } else {
        Error::Internal(error).into_response()
    }
}

/// A panic in a handler becomes a logged 500 with a generic body; the
/// connection and the server carry on.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let text = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    Error::internal(format!("handler panicked: {text}")).into_response()
}

/// Cross-site request forgery: a state-changing request must come from our
/// own pages. Browsers say where a request comes from in `Sec-Fetch-Site`
/// (modern ones) or `Origin` (every browser on a cross-origin POST, PUT or
/// DELETE); anything cross-site is refused, login included (login CSRF).
/// Requests with neither header are not from a browser (curl, API clients)
/// and carry no ambient credentials to abuse, so they pass.
async fn csrf(request: Request, next: Next) -> Response {
    if is_safe(request.method()) || same_origin(request.headers()) {
        next.run(request).await
    } else {
        Error::Forbidden("cross-site request refused").into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        // "none": typed in the address bar or a bookmark, i.e. the user's own
        // doing.
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin_authority(origin) == Some(host),
        (Some(_), None) => false,
    }
}

/// `https://chirp.example:8443` → `chirp.example:8443`; `null` → None.
fn origin_authority(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    matches!(scheme, "http" | "https").then_some(rest.trim_end_matches('/'))
}

/// The headers every response carries. Pages set their own
/// `Content-Security-Policy` (with the per-response nonce, see
/// [`page_csp`]); everything else gets one that allows nothing.
/// With `Secure` cookies the site is served over HTTPS, so browsers are also
/// told to never use plain HTTP for it again (HSTS).
async fn security_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if is_api {
        // API answers are per-user (`/auth/me`); no cache keeps them.
        set(header::CACHE_CONTROL, "no-store");
    }
    response
}

/// Every API failure in the one JSON shape, including the ones axum and the
/// layers produce with an empty or plain-text body (405, 408, 503, …).
async fn api_error_shape(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    if status.as_u16() < 400 || is_json(response.headers()) {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut shaped = Error::from_status(status).into_response();
    *shaped.status_mut() = status;
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    shaped
}

/// The Content-Security-Policy of a server-rendered page. Leptos puts a fresh
/// nonce on its inline hydration script for every response; only scripts with
/// that nonce, our own files, and WebAssembly compilation may run.
pub fn page_csp(nonce: &str, options: &LeptosOptions) -> String {
    // cargo-leptos' live reload talks over a WebSocket on its own port, in
    // development only.
    let reload = if cfg!(debug_assertions) && options.env == leptos::config::Env::DEV {
        format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port)
    } else {
        String::new()
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Runs in every page render (passed to Leptos as additional context):
/// Leptos has already provided the response's nonce; this puts the matching
/// policy on the response.
pub fn provide_page_csp(options: LeptosOptions) -> impl Fn() + Clone + Send + 'static {
    move || {
        let Some(nonce) = leptos::nonce::use_nonce() else {
            return;
        };
        let response = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce, &options)) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// JSON 404 for unknown API paths, so the pages' HTML 404 never answers an
/// API client.
pub async fn api_not_found() -> Error {
    Error::UnknownEndpoint
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn csrf_allows_same_origin_and_non_browsers_and_refuses_cross_site() {
        assert!(same_origin(&headers(&[])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000")
        ])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "localhost:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "localhost:3000")
        ])));
        // Sec-Fetch-Site wins: browsers that send it cannot be told otherwise.
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000")
        ])));
    }
}
