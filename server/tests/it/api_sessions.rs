//! Sessions and login: the cookie, rotation at every login, logout that
//! really ends the session, a password change that ends the others, one
//! generic 401, and the rate limit.

use crate::helpers::{sign_up, Backend, Client, PASSWORD};
use serde_json::json;
use server::config::Config;

crate::on_both_stores!(
    the_session_cookie_is_http_only_lax_and_scoped_to_the_site,
    the_cookie_is_secure_unless_configured_off,
    every_login_gets_a_new_session_id,
    logging_in_as_someone_else_replaces_the_session,
    a_replayed_cookie_after_logout_is_401,
    a_password_change_logs_out_the_other_sessions,
    login_failures_are_one_generic_401,
    login_accepts_the_email_too,
    me_needs_a_session,
    login_and_sign_up_are_rate_limited_per_ip,
    an_unknown_user_costs_as_much_time_as_a_wrong_password,
    behind_a_proxy_the_limit_is_per_forwarded_address,
);

fn login(username: &str, password: &str) -> serde_json::Value {
    json!({"username": username, "password": password})
}

fn set_cookie(response: &crate::helpers::Resp) -> String {
    response
        .header("set-cookie")
        .expect("a Set-Cookie header")
        .to_string()
}

async fn the_session_cookie_is_http_only_lax_and_scoped_to_the_site(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    let response = client.post("/api/v1/users", sign_up("alice")).await;
    let cookie = set_cookie(&response);
    let (pair, attributes) = cookie.split_once(';').unwrap();
    let token = pair.strip_prefix("chirp_session=").unwrap();
    // 256 random bits, hex.
    assert_eq!(token.len(), 64, "{cookie}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(attributes.contains(attribute), "{cookie}");
    }
    // The tests run over HTTP with `Secure` configured off.
    assert!(!attributes.contains("Secure"), "{cookie}");
    let response = client
        .post("/api/v1/auth/login", login("alice", PASSWORD))
        .await;
    let cookie = set_cookie(&response);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    api.stop().await;
}

async fn the_cookie_is_secure_unless_configured_off(backend: Backend) {
    let config = Config {
        insecure_cookies: false,
        ..Config::for_tests()
    };
    let api = crate::spawn!(backend, config);
    let mut client = api.client();
    let response = client.post("/api/v1/users", sign_up("alice")).await;
    assert!(set_cookie(&response).contains("; Secure"));
    // Host-only: a sibling subdomain cannot set a cookie of this name.
    assert!(set_cookie(&response).starts_with("__Host-chirp_session="));
    assert!(!set_cookie(&response).contains("Domain"));
    assert_eq!(
        response.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let response = client.post("/api/v1/auth/logout", json!({})).await;
    assert!(set_cookie(&response).contains("; Secure"));
    api.stop().await;
}

async fn every_login_gets_a_new_session_id(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let at_sign_up = alice.cookie.clone().unwrap();
    alice
        .post("/api/v1/auth/login", login("alice", PASSWORD))
        .await
        .assert_status(200);
    let after_login = alice.cookie.clone().unwrap();
    assert_ne!(at_sign_up, after_login);
    // The replaced session is gone server-side, not just forgotten.
    let mut replay = api.client();
    replay.cookie = Some(at_sign_up);
    replay
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    alice.get("/api/v1/auth/me").await.assert_status(200);
    api.stop().await;
}

async fn logging_in_as_someone_else_replaces_the_session(backend: Backend) {
    let api = crate::spawn!(backend);
    api.user("bob").await;
    let (mut browser, _) = api.user("alice").await;
    let alices = browser.cookie.clone().unwrap();
    let response = browser
        .post("/api/v1/auth/login", login("bob", PASSWORD))
        .await;
    response.assert_status(200);
    assert_eq!(response.json()["username"], "bob");
    let bobs = browser.cookie.clone().unwrap();
    assert_ne!(alices, bobs);
    assert_eq!(
        browser.get("/api/v1/auth/me").await.json()["username"],
        "bob"
    );
    let mut replay = api.client();
    replay.cookie = Some(alices);
    replay
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    api.stop().await;
}

async fn a_replayed_cookie_after_logout_is_401(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let stolen = alice.cookie.clone().unwrap();
    let response = alice.post("/api/v1/auth/logout", json!({})).await;
    response.assert_status(204);
    assert!(set_cookie(&response).contains("Max-Age=0"));
    assert!(alice.cookie.is_none());
    let mut attacker = api.client();
    attacker.cookie = Some(stolen);
    attacker
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    attacker
        .post("/api/v2/tweets", json!({"body": "pwned"}))
        .await
        .assert_error(401, "unauthorized");
    // Logging out again, or without a session, is harmless.
    attacker
        .post("/api/v1/auth/logout", json!({}))
        .await
        .assert_status(204);
    api.stop().await;
}

async fn a_password_change_logs_out_the_other_sessions(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut laptop, user) = api.user("alice").await;
    let mut phone = api.client();
    phone
        .post("/api/v1/auth/login", login("alice", PASSWORD))
        .await
        .assert_status(200);
    phone.get("/api/v1/auth/me").await.assert_status(200);
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    laptop
        .put(
            &path,
            json!({"password": "a new secret", "current_password": PASSWORD}),
        )
        .await
        .assert_status(200);
    phone
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    // The session that changed the password stays logged in, on a new
    // session id (the old one is void with the old password).
    laptop.get("/api/v1/auth/me").await.assert_status(200);
    api.stop().await;
}

async fn login_failures_are_one_generic_401(backend: Backend) {
    let api = crate::spawn!(backend);
    api.user("alice").await;
    let mut client = api.client();
    let wrong_password = client
        .post("/api/v1/auth/login", login("alice", "not the password"))
        .await;
    let unknown_user = client
        .post("/api/v1/auth/login", login("nobody", "not the password"))
        .await;
    let unusable = client
        .post("/api/v1/auth/login", login("alice", "short"))
        .await;
    wrong_password.assert_error(401, "unauthorized");
    assert_eq!(wrong_password.text, unknown_user.text);
    assert_eq!(wrong_password.text, unusable.text);
    assert_eq!(unknown_user.status, 401);
    assert!(client.cookie.is_none());
    api.stop().await;
}

async fn login_accepts_the_email_too(backend: Backend) {
    let api = crate::spawn!(backend);
    api.user("alice").await;
    let mut client = api.client();
    let response = client
        .post("/api/v1/auth/login", login("ALICE@example.com", PASSWORD))
        .await;
    response.assert_status(200);
    assert_eq!(response.json()["username"], "alice");
    assert_eq!(response.json()["email"], "alice@example.com");
    api.stop().await;
}

async fn me_needs_a_session(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    client
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    client.cookie = Some(format!("chirp_session={}", "a".repeat(64)));
    client
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    client.cookie = Some("chirp_session=garbage".into());
    client
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    api.stop().await;
}

async fn login_and_sign_up_are_rate_limited_per_ip(backend: Backend) {
    let config = Config {
        auth_rate_burst: 3,
        auth_rate_refill_secs: 60,
        ..Config::for_tests()
    };
    let api = crate::spawn!(backend, config);
    let mut client: Client = api.client();
    for _ in 0..3 {
        client
            .post("/api/v1/auth/login", login("alice", "wrong password"))
            .await
            .assert_error(401, "unauthorized");
    }
    let limited = client
        .post("/api/v1/auth/login", login("alice", "wrong password"))
        .await;
    limited.assert_error(429, "rate_limited");
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Sign-up has its own budget.
    for n in 0..3 {
        client
            .post("/api/v1/users", sign_up(&format!("user{n}")))
            .await
            .assert_status(201);
    }
    let limited = client.post("/api/v1/users", sign_up("user3")).await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    api.stop().await;
}

/// Without the dummy hash an unknown username would answer at once, and
/// the response time alone would tell which usernames exist. At cost 8 a
/// hash takes tens of milliseconds, far above the HTTP noise.
async fn an_unknown_user_costs_as_much_time_as_a_wrong_password(backend: Backend) {
    let config = Config {
        bcrypt_cost: 8,
        ..Config::for_tests()
    };
    let api = crate::spawn!(backend, config);
    api.user("alice").await;
    let mut client = api.client();
    let median_ms = |username: &'static str| {
        let mut client = client.clone();
        async move {
            let mut times = Vec::new();
            for _ in 0..5 {
                let started = std::time::Instant::now();
                client
                    .post("/api/v1/auth/login", login(username, "wrong password"))
                    .await
                    .assert_error(401, "unauthorized");
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        }
    };
    let wrong_password = median_ms("alice").await;
    let unknown_user = median_ms("nobody_at_all").await;
    client.get("/healthz").await.assert_status(200);
    assert!(
        unknown_user > wrong_password * 0.3,
        "unknown user {unknown_user:.1} ms vs wrong password {wrong_password:.1} ms"
    );
    eprintln!(
        "login 401: wrong password {wrong_password:.1} ms, unknown user {unknown_user:.1} ms"
    );
    api.stop().await;
}

/// Behind a reverse proxy every request comes from the proxy; with the
/// proxy trusted the limit applies to the address it appended, and
/// a client cannot dodge it by sending its own `X-Forwarded-For`.
async fn behind_a_proxy_the_limit_is_per_forwarded_address(backend: Backend) {
    let config = Config {
        auth_rate_burst: 2,
        auth_rate_refill_secs: 60,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Config::for_tests()
    };
    let api = crate::spawn!(backend, config);
    let attempt = |forwarded: &'static str| {
        let mut client = api.client();
        async move {
            client
                .raw(
                    reqwest::Method::POST,
                    "/api/v1/auth/login",
                    Some("application/json"),
                    login("alice", "wrong password").to_string(),
                    &[("x-forwarded-for", forwarded)],
                )
                .await
                .status
        }
    };
    assert_eq!(attempt("203.0.113.7").await, 401);
    // A forged first entry does not make a new client: the proxy's is last.
    assert_eq!(attempt("198.51.100.1, 203.0.113.7").await, 401);
    assert_eq!(attempt("203.0.113.7").await, 429);
    // Someone else behind the same proxy is not limited.
    assert_eq!(attempt("203.0.113.8").await, 401);
    api.stop().await;
}
