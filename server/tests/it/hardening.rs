//! The security review's reproductions (`../shared/reviews/security-review.md`)
//! that are about input: each gets the right 4xx now, and none writes.

use crate::helpers::{sign_up, snapshot, Backend};
use reqwest::Method;
use serde_json::json;

crate::on_both_stores!(
    long_and_odd_paths_are_4xx_never_5xx,
    an_oversized_form_post_is_413_and_says_so,
    repeated_keys_and_bodies_that_are_not_objects_are_refused,
    a_letter_under_thousands_of_marks_is_not_one_character,
    a_weak_if_match_never_matches,
    a_new_password_with_control_characters_is_refused,
);

/// 256 bytes and more in one segment made the static files answer 500
/// (`File name too long`).
async fn long_and_odd_paths_are_4xx_never_5xx(backend: Backend) {
    let api = crate::spawn!(backend);
    let long = "a".repeat(300);
    let paths = [
        format!("/{long}"),
        format!("/pkg/{long}"),
        format!("/pkg/{long}.wasm"),
        format!("/u/{long}"),
        format!("/api/{long}"),
        format!("/api/v1/users/{long}"),
        format!("/{}", "a/".repeat(2000)),
        "/pkg/../Cargo.toml".into(),
        "/pkg/..%2f..%2fCargo.toml".into(),
        "/%00".into(),
        "/%ff%fe".into(),
        "//".into(),
        "/u/%2e%2e".into(),
    ];
    for path in paths {
        let status = status_of_raw_get(&api, &path).await;
        assert!(
            (400..500).contains(&status),
            "{status} for {}",
            &path[..path.len().min(40)]
        );
    }
    api.stop().await;
}

/// The status of `GET path` sent as is: an HTTP client library would
/// resolve the dot segments first.
async fn status_of_raw_get(api: &crate::helpers::TestApp, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(api.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"))
}

/// A form over the body limit was read as an empty form (then "blank" or
/// "wrong password"); now it is 413 and the page says why.
async fn an_oversized_form_post_is_413_and_says_so(backend: Backend) {
    let api = crate::spawn!(backend);
    let before = snapshot(&api.store).await;
    let body = format!("username=ann&password={}", "x".repeat(20_000));
    let response = api
        .http
        .post(api.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let page = response.text().await.unwrap();
    assert!(page.contains("too large"), "{page}");
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

/// `{"body":"harmless","body":"real"}` posted "real", and `["text"]` was
/// a tweet: one JSON text must not mean two things.
async fn repeated_keys_and_bodies_that_are_not_objects_are_refused(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let before = snapshot(&api.store).await;
    let post = |body: &'static str| {
        let mut alice = alice.clone();
        async move {
            alice
                .raw(
                    Method::POST,
                    "/api/v2/tweets",
                    Some("application/json"),
                    body,
                    &[],
                )
                .await
        }
    };
    let repeated = post(r#"{"body":"harmless","body":"the real one"}"#).await;
    let error = repeated.assert_error(422, "validation_failed");
    assert_eq!(error["body"], json!(["invalid"]), "{error}");
    let nested = post(r#"{"body":"x","tweetedby":"alice","tweetedby":"bob"}"#).await;
    nested.assert_error(422, "validation_failed");
    for body in [r#"["text"]"#, r#""text""#, "null", "42"] {
        let error = post(body).await.assert_error(422, "validation_failed");
        assert_eq!(error["body"], json!(["invalid_type"]), "{body}");
    }
    // Sign-up and login read JSON the same way.
    let mut twice = sign_up("bob").to_string();
    twice.insert_str(1, r#""username":"mallory","#);
    api.client()
        .raw(
            Method::POST,
            "/api/v1/users",
            Some("application/json"),
            twice,
            &[],
        )
        .await
        .assert_error(422, "validation_failed");
    api.client()
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            Some("application/json"),
            r#"["alice", "correct horse battery"]"#,
            &[],
        )
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(snapshot(&api.store).await, before);
    // The same tweet written once is fine.
    alice
        .post("/api/v2/tweets", json!({"body": "the real one"}))
        .await
        .assert_status(201);
    api.stop().await;
}

/// "a" and 5,000 combining marks is one grapheme of 10 KB: it was
/// accepted as a one-character tweet.
async fn a_letter_under_thousands_of_marks_is_not_one_character(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let before = snapshot(&api.store).await;
    let zalgo = format!("a{}", "\u{301}".repeat(5_000));
    alice
        .post("/api/v2/tweets", json!({ "body": zalgo }))
        .await
        .assert_error(422, "validation_failed");
    let mut name = sign_up("bob");
    name["name"] = json!(format!("B{}", "\u{301}".repeat(500)));
    api.client()
        .post("/api/v1/users", name)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(snapshot(&api.store).await, before);
    // A few marks on a letter, as languages use them, are fine.
    alice
        .post("/api/v2/tweets", json!({ "body": "e\u{301}\u{302} ok" }))
        .await
        .assert_status(201);
    api.stop().await;
}

/// I-1: `If-Match` compares strongly (RFC 9110), so `W/"n"` is no match
/// even for the current version.
async fn a_weak_if_match_never_matches(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let etag = alice.get(&path).await.header("etag").unwrap().to_string();
    let update = json!({"name": "Weak"}).to_string();
    let put = |alice: &mut crate::helpers::Client, if_match: String| {
        let (mut alice, update, path) = (alice.clone(), update.clone(), path.clone());
        async move {
            alice
                .raw(
                    Method::PUT,
                    &path,
                    Some("application/json"),
                    update,
                    &[("if-match", &if_match)],
                )
                .await
        }
    };
    put(&mut alice, format!("W/{etag}"))
        .await
        .assert_error(412, "precondition_failed");
    assert_ne!(alice.get(&path).await.json()["name"], "Weak");
    put(&mut alice, etag).await.assert_status(200);
    api.stop().await;
}

/// I-2: bcrypt ends a key at NUL and repeats it, so `P` and `P NUL P`
/// hashed alike. A password being chosen may hold no control character.
async fn a_new_password_with_control_characters_is_refused(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let before = snapshot(&api.store).await;
    let mut body = sign_up("bob");
    body["password"] = json!("correct\u{0}horse");
    let details = api
        .client()
        .post("/api/v1/users", body)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details["password"], json!(["invalid_characters"]));
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    alice
        .put(
            &path,
            json!({"password": "new\u{7}password", "current_password": crate::helpers::PASSWORD}),
        )
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}
