//! Hostile and broken input: each request gets the right status and the one
//! error shape, and none of them leaves a trace in the store.

use crate::helpers::{sign_up, snapshot, Backend, Client, Resp, Snapshot, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::json;

crate::on_both_stores!(
    oversized_bodies_are_413,
    invalid_json_is_400,
    wrong_content_types_are_415,
    unknown_fields_are_422,
    operators_where_strings_belong_are_422_and_never_match,
    overlong_usernames_are_422,
    rtl_and_zero_width_characters,
    script_in_a_tweet_is_stored_as_text_and_returned_as_a_json_string,
    bad_limits_are_422,
    bogus_ids,
    unknown_api_routes_and_methods_are_json,
);

/// What the store holds: users, tweets and events.
/// A logged-in user for the cases that need one, and the trace after it.
async fn setup(api: &TestApp) -> (Client, Snapshot) {
    let (alice, _) = api.user("alice").await;
    (alice, snapshot(&api.store).await)
}

async fn json_raw(client: &mut Client, method: Method, path: &str, body: &str) -> Resp {
    client
        .raw(
            method,
            path,
            Some("application/json"),
            body.to_string(),
            &[],
        )
        .await
}

async fn oversized_bodies_are_413(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    let huge = "x".repeat(17 * 1024);
    let mut body = sign_up("bob");
    body["name"] = json!(huge);
    api.client()
        .post("/api/v1/users", body)
        .await
        .assert_error(413, "payload_too_large");
    alice
        .post("/api/v2/tweets", json!({"body": huge}))
        .await
        .assert_error(413, "payload_too_large");
    // Just under the limit is read (and then refused for what it says).
    alice
        .post("/api/v2/tweets", json!({"body": "x".repeat(15 * 1024)}))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn invalid_json_is_400(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    for body in [
        "{",
        "{\"username\": }",
        "not json",
        "",
        "{\"body\": \"a\"} trailing",
    ] {
        json_raw(&mut api.client(), Method::POST, "/api/v1/users", body)
            .await
            .assert_error(400, "malformed_request");
        json_raw(&mut alice, Method::POST, "/api/v2/tweets", body)
            .await
            .assert_error(400, "malformed_request");
    }
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn wrong_content_types_are_415(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    let body = json!({"body": "hello"}).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        alice
            .raw(
                Method::POST,
                "/api/v2/tweets",
                content_type,
                body.clone(),
                &[],
            )
            .await
            .assert_error(415, "unsupported_media_type");
        api.client()
            .raw(
                Method::POST,
                "/api/v1/auth/login",
                content_type,
                json!({"username": "alice", "password": PASSWORD}).to_string(),
                &[],
            )
            .await
            .assert_error(415, "unsupported_media_type");
        api.client()
            .raw(
                Method::POST,
                "/api/v1/users",
                content_type,
                sign_up("bob").to_string(),
                &[],
            )
            .await
            .assert_error(415, "unsupported_media_type");
    }
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn unknown_fields_are_422(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    let mut body = sign_up("bob");
    body["is_admin"] = json!(true);
    let details = api
        .client()
        .post("/api/v1/users", body)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"is_admin": ["unknown_field"]}));
    let details = alice
        .post("/api/v2/tweets", json!({"body": "hi", "id": "1"}))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"id": ["unknown_field"]}));
    let details = alice
        .get("/api/v2/tweets?limit=5&sort=asc")
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"sort": ["unknown_field"]}));
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn operators_where_strings_belong_are_422_and_never_match(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    let mut attacker = api.client();
    let details = attacker
        .post(
            "/api/v1/auth/login",
            json!({"username": {"$gt": ""}, "password": {"$gt": ""}}),
        )
        .await
        .assert_error(422, "validation_failed");
    assert!(details.get("username").is_some(), "{details}");
    assert!(
        attacker.cookie.is_none(),
        "an operator never logs anyone in"
    );
    attacker
        .post(
            "/api/v1/auth/login",
            json!({"username": {"$ne": null}, "password": PASSWORD}),
        )
        .await
        .assert_error(422, "validation_failed");
    let mut body = sign_up("bob");
    body["email"] = json!({"$gt": ""});
    let details = attacker
        .post("/api/v1/users", body)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"email": ["invalid_type"]}));
    alice
        .raw(
            Method::DELETE,
            "/api/v1/users",
            Some("application/json"),
            json!({"username": {"$gt": ""}}).to_string(),
            &[],
        )
        .await
        .assert_error(422, "validation_failed");
    alice
        .post("/api/v2/tweets", json!({"body": {"$gt": ""}}))
        .await
        .assert_error(422, "validation_failed");
    // Query strings: bracket syntax is an unknown parameter, and an operator
    // spelled as a value is just an invalid username.
    attacker
        .get("/api/v2/tweets?tweetedby[$gt]=")
        .await
        .assert_error(422, "validation_failed");
    attacker
        .get("/api/v2/tweets?tweetedby=%7B%22%24gt%22%3A%22%22%7D")
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn overlong_usernames_are_422(backend: Backend) {
    let api = crate::spawn!(backend);
    let before = snapshot(&api.store).await;
    let mut client = api.client();
    let details = client
        .post("/api/v1/users", sign_up(&"a".repeat(300)))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details["username"], json!(["too_long"]));
    // 300 bytes of multi-byte letters.
    let mut body = sign_up("x");
    body["username"] = json!("é".repeat(150));
    let details = client
        .post("/api/v1/users", body)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details["username"], json!(["invalid_characters"]));
    client
        .post(
            "/api/v1/auth/login",
            json!({"username": "a".repeat(300), "password": PASSWORD}),
        )
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn rtl_and_zero_width_characters(backend: Backend) {
    let api = crate::spawn!(backend);
    let before = snapshot(&api.store).await;
    let mut client = api.client();
    // Look-alike usernames: a zero-width space, a right-to-left override.
    for username in ["ali\u{200b}ce", "\u{202e}ecila", "alice\u{200d}"] {
        let mut body = sign_up("x");
        body["username"] = json!(username);
        let details = client
            .post("/api/v1/users", body)
            .await
            .assert_error(422, "validation_failed");
        assert_eq!(details["username"], json!(["invalid_characters"]));
    }
    assert_eq!(snapshot(&api.store).await, before);
    // Right-to-left names and text are ordinary text, and zero-width joiners
    // are part of emoji: stored and returned exactly.
    let mut body = sign_up("layla");
    body["name"] = json!("ليلى");
    let created = client.post("/api/v1/users", body).await;
    created.assert_status(201);
    assert_eq!(created.json()["name"], "ليلى");
    for text in ["שלום עולם", "family: 👨\u{200d}👩\u{200d}👧"] {
        let tweet = client.post("/api/v2/tweets", json!({"body": text})).await;
        tweet.assert_status(201);
        let path = format!("/api/v2/tweets/{}", tweet.json()["id"].as_str().unwrap());
        assert_eq!(client.get(&path).await.json()["body"], text);
    }
    api.stop().await;
}

async fn script_in_a_tweet_is_stored_as_text_and_returned_as_a_json_string(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = setup(&api).await;
    let script = r#"<script>alert("x")</script><img src=x onerror=alert(1)>"#;
    let created = alice.post("/api/v2/tweets", json!({"body": script})).await;
    created.assert_status(201);
    let path = format!("/api/v2/tweets/{}", created.json()["id"].as_str().unwrap());
    let shown = api.client().get(&path).await;
    assert_eq!(shown.json()["body"], script);
    assert!(shown
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(shown.header("x-content-type-options"), Some("nosniff"));
    // Served as data, never as a page: the CSP forbids everything.
    assert!(shown
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let stored = api
        .store
        .tweets
        .page(
            None,
            &[],
            server::store::Page::first(server::store::Limit::new(1).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(stored[0].tweet.body.as_str(), script);
    api.stop().await;
}

async fn bad_limits_are_422(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    for (query, field, code) in [
        ("limit=-1", "limit", "out_of_range"),
        ("limit=0", "limit", "out_of_range"),
        ("limit=101", "limit", "out_of_range"),
        ("limit=99999999999999999999999", "limit", "invalid"),
        ("limit=abc", "limit", "invalid"),
        ("limit=1.5", "limit", "invalid"),
        ("max_id=abc", "max_id", "invalid"),
        ("since_id=-3", "since_id", "invalid"),
    ] {
        for path in ["/api/v2/tweets", "/api/v1/users"] {
            let details = client
                .get(&format!("{path}?{query}"))
                .await
                .assert_error(422, "validation_failed");
            assert_eq!(details, json!({field: [code]}), "{path}?{query}");
        }
    }
    client
        .get("/api/v2/tweets?limit=100")
        .await
        .assert_status(200);
    client.get("/api/v1/users?limit=1").await.assert_status(200);
    api.stop().await;
}

async fn bogus_ids(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, before) = setup(&api).await;
    for id in [
        "abc",
        "0",
        "-1",
        "007",
        "1%20OR%201=1",
        "99999999999999999999",
        "%24gt",
    ] {
        for path in [
            format!("/api/v2/tweets/{id}"),
            format!("/api/v1/users/{id}"),
        ] {
            alice.get(&path).await.assert_error(404, "not_found");
        }
        alice
            .delete(&format!("/api/v2/tweets/{id}"))
            .await
            .assert_error(404, "not_found");
        alice
            .put(&format!("/api/v1/users/{id}"), json!({"name": "x"}))
            .await
            .assert_error(404, "not_found");
    }
    assert_eq!(snapshot(&api.store).await, before);
    api.stop().await;
}

async fn unknown_api_routes_and_methods_are_json(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    for path in ["/api", "/api/v1", "/api/v3/tweets", "/api/v1/users/1/2"] {
        client.get(path).await.assert_error(404, "not_found");
    }
    let response = client
        .send(Method::PATCH, "/api/v2/tweets", Some(json!({})))
        .await;
    response.assert_error(405, "method_not_allowed");
    assert!(response.header("allow").is_some());
    client
        .send(Method::PUT, "/api/v1/auth/me", Some(json!({})))
        .await
        .assert_error(405, "method_not_allowed");
    api.stop().await;
}
