//! Secure by default: headers on every response, the pages' nonce-based
//! CSP, CSRF checks, panics, load shedding and timeouts.

use std::{sync::Arc, time::Duration};

use crate::helpers::{Backend, Client, TestApp, PASSWORD};
use axum::{routing::get, Router};
use reqwest::Method;
use serde_json::json;
use server::{
    config::Config,
    store::{sqlite::SqliteStore, ApiRelease, Health, ReleaseStore, Store, StoreResult},
};

crate::on_both_stores!(
    every_response_carries_the_security_headers,
    pages_allow_only_their_own_nonce_and_wasm,
    cross_site_state_changes_are_refused,
    same_origin_and_non_browser_requests_pass,
    a_request_for_a_host_that_is_not_ours_is_refused,
);

async fn every_response_carries_the_security_headers(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    for (path, status) in [
        ("/api/v1/info", 200),
        ("/api/v2/tweets/1", 404),
        ("/api/nope", 404),
        ("/healthz", 200),
        ("/", 200),
        ("/no/such/page", 404),
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status, status, "{path}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            response.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        let csp = response.header("content-security-policy").unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    let api_response = client.get("/api/v1/info").await;
    assert_eq!(api_response.header("cache-control"), Some("no-store"));
    // The tests speak plain HTTP (`Secure` off), where HSTS means nothing.
    assert_eq!(api_response.header("strict-transport-security"), None);
    api.stop().await;
}

async fn pages_allow_only_their_own_nonce_and_wasm(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let page = client.get("/").await;
        let csp = page.header("content-security-policy").unwrap().to_string();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {csp}"))
            .to_string();
        // The inline hydration script carries exactly that nonce.
        assert!(
            page.text.contains(&format!("nonce=\"{nonce}\"")),
            "{}",
            page.text
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");
    api.stop().await;
}

async fn cross_site_state_changes_are_refused(backend: Backend) {
    let api = crate::spawn!(backend);
    let (alice, _) = api.user("alice").await;
    let login = json!({"username": "alice", "password": PASSWORD}).to_string();
    let tweet = json!({"body": "forged"}).to_string();
    let cross_site: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
    ];
    for headers in cross_site {
        // Login CSRF: logging the victim into the attacker's account.
        let mut victim = api.client();
        victim
            .raw(
                Method::POST,
                "/api/v1/auth/login",
                Some("application/json"),
                login.clone(),
                headers,
            )
            .await
            .assert_error(403, "forbidden");
        assert!(victim.cookie.is_none());
        let mut alice = alice.clone();
        alice
            .raw(
                Method::POST,
                "/api/v2/tweets",
                Some("application/json"),
                tweet.clone(),
                headers,
            )
            .await
            .assert_error(403, "forbidden");
        alice
            .raw(Method::POST, "/api/v1/auth/logout", None, "", headers)
            .await
            .assert_error(403, "forbidden");
    }
    let tweets = api.client().get("/api/v2/tweets").await.json();
    assert_eq!(tweets["tweets_list"], json!([]));
    // Reads are not state changes: a cross-site GET is served.
    api.client()
        .raw(
            Method::GET,
            "/api/v2/tweets",
            None,
            "",
            &[("sec-fetch-site", "cross-site")],
        )
        .await
        .assert_status(200);
    api.stop().await;
}

/// DNS rebinding: a page on `rebind.evil.example` whose name re-resolves
/// to this server sends its own name in `Host` and a matching `Origin`,
/// which passed the CSRF check. Only the names the server is configured
/// for are answered; health checks answer any (probes use addresses).
async fn a_request_for_a_host_that_is_not_ours_is_refused(backend: Backend) {
    let api = crate::spawn!(backend);
    let port = api.base.rsplit(':').next().unwrap().to_string();
    let evil = format!("rebind.evil.example:{port}");
    let evil_origin = format!("http://{evil}");
    let sign_up = crate::helpers::sign_up("rebound").to_string();
    let rebound: &[(&str, &str)] = &[("host", &evil), ("origin", &evil_origin)];
    api.client()
        .raw(
            Method::POST,
            "/api/v1/users",
            Some("application/json"),
            sign_up.clone(),
            rebound,
        )
        .await
        .assert_error(400, "malformed_request");
    for path in ["/", "/api/v2/tweets", "/login"] {
        api.client()
            .raw(Method::GET, path, None, "", &[("host", &evil)])
            .await
            .assert_error(400, "malformed_request");
    }
    for path in ["/healthz", "/readyz"] {
        api.client()
            .raw(Method::GET, path, None, "", &[("host", "10.1.2.3:3000")])
            .await
            .assert_status(200);
    }
    // The names it is for, with any port and in any case.
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".into(),
    ] {
        api.client()
            .raw(Method::GET, "/api/v2/tweets", None, "", &[("host", &host)])
            .await
            .assert_status(200);
    }
    api.client()
        .post("/api/v1/users", serde_json::from_str(&sign_up).unwrap())
        .await
        .assert_status(201);
    api.stop().await;
}

async fn same_origin_and_non_browser_requests_pass(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let host = api.base.trim_start_matches("http://").to_string();
    let origin = api.base.clone();
    let body = json!({"body": "hello"}).to_string();
    for headers in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("origin", origin.as_str())],
        vec![("origin", origin.as_str()), ("host", host.as_str())],
        vec![],
    ] {
        alice
            .raw(
                Method::POST,
                "/api/v2/tweets",
                Some("application/json"),
                body.clone(),
                &headers,
            )
            .await
            .assert_status(201);
    }
    api.stop().await;
}

async fn boom() -> &'static str {
    panic!("secret detail: /etc/chirp/key")
}

/// A store that is down: every call fails as a lost connection would.
struct Down;

fn down() -> server::store::StoreError {
    server::store::StoreError::unavailable("connection refused: mongodb://user:hunter2@db")
}

#[async_trait::async_trait]
impl ReleaseStore for Down {
    async fn list(&self) -> StoreResult<Vec<ApiRelease>> {
        Err(down())
    }
    async fn insert(&self, _: &ApiRelease) -> StoreResult<()> {
        Err(down())
    }
}

#[async_trait::async_trait]
impl Health for Down {
    async fn ping(&self) -> StoreResult<()> {
        Err(down())
    }
}

#[tokio::test]
async fn when_the_store_is_down_readiness_is_503_and_errors_stay_generic() {
    let dir = tempfile::tempdir().unwrap();
    let working = Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap());
    let store = Store {
        releases: Arc::new(Down),
        health: Arc::new(Down),
        ..working
    };
    let api = TestApp::on(store, Config::for_tests()).await;
    let mut client = api.client();
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, 503);
    assert_eq!(ready.json()["status"], "unavailable");
    // Liveness does not depend on storage.
    client.get("/healthz").await.assert_status(200);
    let info = client.get("/api/v1/info").await;
    info.assert_error(503, "unavailable");
    assert!(info.header("retry-after").is_some());
    assert!(!info.text.contains("hunter2") && !info.text.contains("mongodb"));
    api.stop().await;
}

/// Serves `routes` inside the app's security layers on port 0.
async fn serve_layered(routes: Router, config: Config) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server::layered(routes, &config);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Client::new(&format!("http://{addr}"))
}

#[tokio::test]
async fn a_panic_is_a_generic_500_and_the_server_keeps_serving() {
    let routes = Router::new()
        .route("/api/boom", get(boom))
        .route("/api/ok", get(|| async { "ok" }));
    let mut client = serve_layered(routes, Config::for_tests()).await;
    for _ in 0..3 {
        let response = client.get("/api/boom").await;
        response.assert_error(500, "internal");
        assert!(!response.text.contains("secret"), "{}", response.text);
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        client.get("/api/ok").await.assert_status(200);
    }
}

#[tokio::test]
async fn over_the_concurrency_limit_requests_are_shed_with_503() {
    // The slow handler says when it has started, and finishes when told.
    let started = Arc::new(tokio::sync::Notify::new());
    let release = Arc::new(tokio::sync::Notify::new());
    let routes = Router::new().route(
        "/api/slow",
        get({
            let (started, release) = (started.clone(), release.clone());
            move || async move {
                started.notify_one();
                release.notified().await;
                "done"
            }
        }),
    );
    let config = Config {
        max_concurrent_requests: 1,
        ..Config::for_tests()
    };
    let client = serve_layered(routes, config).await;
    let (mut a, mut b) = (client.clone(), client.clone());
    let first = tokio::spawn(async move { a.get("/api/slow").await });
    started.notified().await;
    let shed = b.get("/api/slow").await;
    shed.assert_error(503, "unavailable");
    assert!(shed.header("retry-after").is_some());
    // A shed request's connection is closed, so a flood of clients cannot
    // keep re-sending on it at once (see `overloaded_or_timeout`).
    assert_eq!(shed.header("connection"), Some("close"));
    release.notify_one();
    first.await.unwrap().assert_status(200);
    // Capacity is back once the first request is done.
    let again = tokio::spawn(async move { b.get("/api/slow").await });
    started.notified().await;
    release.notify_one();
    again.await.unwrap().assert_status(200);
}

#[tokio::test]
async fn slow_requests_time_out_with_408() {
    let routes = Router::new().route(
        "/api/stuck",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "never"
        }),
    );
    let config = Config {
        request_timeout_secs: 1,
        ..Config::for_tests()
    };
    let mut client = serve_layered(routes, config).await;
    let started = std::time::Instant::now();
    client.get("/api/stuck").await.assert_error(408, "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
}
