//! The layers every request passes through, secure by default: the
//! client's address resolved once, panic recovery, the API's error shape on
//! every API failure (including those made by the layers), compression,
//! security headers on every response; and, for everything but the health
//! checks, load shedding, a request timeout and CSRF checks.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    body::Body,
    error_handling::HandleErrorLayer,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    BoxError, Router,
};
use tower::{limit::GlobalConcurrencyLimitLayer, ServiceBuilder};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, CompressionLevel},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use http_body_util::BodyExt;

use super::{
    extract::{is_json, ClientIp},
    BODY_LIMIT,
};
use crate::{
    config::{Config, Proxy},
    error::Error,
};

/// Wraps the application (`app`: pages and API) and its health checks in
/// the layers. Listed outermost first: headers and the error shape also
/// cover what the inner layers answer themselves (a shed request, a
/// timeout, a panic).
pub fn apply(app: Router, health: Router, config: &Arc<Config>) -> Router {
    let app = app.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(overloaded_or_timeout))
            .load_shed()
            // Global: `Router::layer` clones layers per route, and the limit
            // must count requests across all of them.
            .layer(GlobalConcurrencyLimitLayer::new(
                config.max_concurrent_requests as usize,
            ))
            .timeout(config.request_timeout())
            .layer(middleware::from_fn(csrf)),
    );
    // Outside the concurrency limit: a request counts against it only
    // once its body is in, so clients that trickle bodies hold no permit.
    let app = app.layer(middleware::from_fn_with_state(config.clone(), read_body));
    // Before any work: a request for a host that is not ours is refused
    // (DNS rebinding). Health checks are exempt: orchestrators probe by
    // address.
    let app = app.layer(middleware::from_fn_with_state(config.clone(), allowed_host));
    let static_header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    // 5xx are not logged again here: a 500 is logged with its cause where
    // it is made, and logging every shed 503 at ERROR would spend the CPU
    // an overload leaves on writing log lines.
    let trace = TraceLayer::new_for_http()
        .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG));
    health.merge(app).layer(
        ServiceBuilder::new()
            .layer(trace)
            .layer(static_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(static_header(
                header::REFERRER_POLICY,
                "strict-origin-when-cross-origin",
            ))
            .layer(static_header(header::X_FRAME_OPTIONS, "DENY"))
            // Pages set their own, with the per-response nonce
            // (`pages/csp.rs`); everything else allows nothing.
            .layer(static_header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ))
            .layer(static_header(
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ))
            .layer(static_header(
                HeaderName::from_static("cross-origin-resource-policy"),
                "same-origin",
            ))
            // With `Secure` cookies the site is served over HTTPS: browsers
            // are told never to use plain HTTP for it again.
            .option_layer(
                (!config.insecure_cookies)
                    .then(|| static_header(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")),
            )
            // Pages and JSON are compressed per response, so at a level
            // that costs microseconds: brotli's default (11) spends
            // milliseconds on a page for a few percent of its size.
            .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
            .layer(middleware::from_fn(api_responses))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(middleware::from_fn_with_state(config.clone(), client_ip)),
    )
}

/// A request body, as the handlers see it, already read into memory.
/// Reading it is bounded in size ([`BODY_LIMIT`]: 413) and in time
/// (`CHIRP_BODY_READ_TIMEOUT_SECS`: 408, and the connection closes), so a
/// client cannot hold the server's attention by sending a body slowly.
/// A page's form post that is too large reaches its handler marked
/// [`BodyTooLarge`], so the page can say so.
async fn read_body(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let has_body = request.headers().contains_key(header::CONTENT_LENGTH)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let limited = http_body_util::Limited::new(body, BODY_LIMIT);
    let read = tokio::time::timeout(config.body_read_timeout(), limited.collect()).await;
    let body = match read {
        Ok(Ok(collected)) => Body::from(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            if parts.uri.path().starts_with("/api") {
                return Error::PayloadTooLarge.into_response();
            }
            parts.extensions.insert(BodyTooLarge);
            Body::empty()
        }
        Ok(Err(_)) => {
            return Error::Malformed("could not read the request body".into()).into_response()
        }
        Err(_) => {
            let mut response = Error::SlowBody.into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
    };
    next.run(Request::from_parts(parts, body)).await
}

/// Marks a request whose body was over [`BODY_LIMIT`].
#[derive(Clone, Copy, Debug)]
pub struct BodyTooLarge;

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
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let text = crate::panic_message(panic.as_ref());
    Error::internal(format!("handler panicked: {text}")).into_response()
}

/// The client's address, once per request, for the rate limits and the
/// logs: the connection's peer, or, when the peer is one of the configured
/// reverse proxies, the address the proxies recorded: the last entry of
/// `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a trusted
/// proxy. Entries further left come from the client and can be forged.
async fn client_ip(
    State(config): State<Arc<Config>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let client = forwarded_client(request.headers(), peer, &config.trusted_proxies);
    request.extensions_mut().insert(ClientIp(client));
    next.run(request).await
}

fn forwarded_client(headers: &HeaderMap, peer: IpAddr, trusted: &[Proxy]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|proxy| proxy.0.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let texts = |name: HeaderName| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    let forwarded: Vec<&str> = texts(header::FORWARDED)
        .into_iter()
        .filter_map(|element| {
            element.split(';').map(str::trim).find_map(|pair| {
                pair.strip_prefix("for=")
                    .or_else(|| pair.strip_prefix("For="))
            })
        })
        .collect();
    let hops = if forwarded.is_empty() {
        texts(HeaderName::from_static("x-forwarded-for"))
    } else {
        forwarded
    };
    hops.iter()
        .rev()
        .filter_map(|hop| hop_address(hop))
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// One hop as proxies write it: `203.0.113.7`, `203.0.113.7:4711`,
/// `2001:db8::1`, `[2001:db8::1]:4711`, or `Forwarded`'s quoted forms.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

async fn allowed_host(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    // HTTP/1.1 requires `Host`; the authority of an absolute URI stands in.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    match host {
        Some(host) if config.allows_host(host) => next.run(request).await,
        _ => Error::Malformed("this server does not answer for that host".into()).into_response(),
    }
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

/// API answers are per-user (`/auth/me`), so no cache keeps them; and
/// every API failure comes in the one JSON shape, including the ones axum
/// and the layers produce with an empty or plain-text body (405, 408, 503,
/// …).
async fn api_responses(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api") {
        return next.run(request).await;
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    let status = response.status();
    if status.as_u16() < 400 || is_json(response.headers()) {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut shaped = Error::from_status(status).into_response();
    *shaped.status_mut() = status;
    for name in [header::ALLOW, header::RETRY_AFTER, header::CACHE_CONTROL] {
        if let Some(value) = parts.headers.get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    shaped
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

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_last_untrusted_hop() {
        let proxies: Vec<Proxy> = ["10.0.0.0/8", "192.0.2.1"]
            .iter()
            .map(|p| p.parse().unwrap())
            .collect();
        let proxy = ip("10.1.2.3");
        let forged = headers(&[("x-forwarded-for", "203.0.113.9, 198.51.100.7")]);
        assert_eq!(
            forwarded_client(&forged, proxy, &proxies),
            ip("198.51.100.7")
        );
        // A CDN edge (trusted) in front of the proxy, with ports.
        let chain = headers(&[("x-forwarded-for", "198.51.100.7:4711, 192.0.2.1:443")]);
        assert_eq!(
            forwarded_client(&chain, proxy, &proxies),
            ip("198.51.100.7")
        );
        let standard = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        assert_eq!(
            forwarded_client(&standard, proxy, &proxies),
            ip("2001:db8::7")
        );
        assert_eq!(forwarded_client(&headers(&[]), proxy, &proxies), proxy);
    }

    #[test]
    fn from_anyone_else_forwarding_headers_are_ignored() {
        let proxies: Vec<Proxy> = vec!["10.0.0.0/8".parse().unwrap()];
        let forged = headers(&[("x-forwarded-for", "198.51.100.7")]);
        let stranger = ip("203.0.113.9");
        assert_eq!(forwarded_client(&forged, stranger, &proxies), stranger);
        assert_eq!(forwarded_client(&forged, stranger, &[]), stranger);
    }
}
