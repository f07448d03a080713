//! Every endpoint's successes and failures, over HTTP against the real
//! server with a fresh store per test (SQLite; MongoDB with `MONGODB_URI`).

use crate::helpers::{sign_up, Backend, TestApp, PASSWORD};
use serde_json::{json, Value};

crate::on_both_stores!(
    info_lists_the_releases_and_the_limits,
    sign_up_creates_the_user_and_logs_them_in,
    sign_up_refuses_taken_usernames_and_emails,
    sign_up_names_every_invalid_field,
    users_are_listed_newest_first_in_pages,
    a_user_shows_their_email_only_to_themself,
    unknown_and_bogus_user_ids_are_404,
    a_user_updates_their_profile_with_if_match,
    a_bio_is_written_shown_to_anyone_and_cleared,
    a_stale_if_match_changes_nothing,
    changing_the_password_needs_the_current_one,
    profile_changes_refuse_a_taken_email,
    an_email_change_needs_the_current_password,
    profile_changes_and_posts_are_throttled,
    only_the_user_changes_or_deletes_themself,
    deleting_an_account_ends_it_everywhere,
    the_original_delete_names_the_user_in_the_body,
    tweets_are_posted_as_the_session_user,
    tweets_are_listed_newest_first_and_by_author,
    tweets_page_with_limit_max_id_since_id_and_link,
    a_tweet_is_shown_or_404,
    only_the_author_deletes_a_tweet,
    tweet_bodies_are_validated,
    readiness_pings_the_store,
    no_user_response_reveals_a_password,
);

async fn info_lists_the_releases_and_the_limits(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    let info = client.get("/api/v1/info").await;
    info.assert_status(200);
    let info = info.json();
    assert!(
        !info["api_version"].as_array().unwrap().is_empty(),
        "{info}"
    );
    for release in info["api_version"].as_array().unwrap() {
        for field in ["version", "buildtime", "links", "methods"] {
            assert!(release[field].is_string(), "{release}");
        }
    }
    assert_eq!(info["limits"]["tweet_max_chars"], 280);
    assert_eq!(info["limits"]["page_max"], 100);
    api.stop().await;
}

async fn sign_up_creates_the_user_and_logs_them_in(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut alice = api.client();
    let response = alice.post("/api/v1/users", sign_up("alice")).await;
    response.assert_status(201);
    let user = response.json();
    let id = user["id"].as_str().unwrap();
    assert_eq!(user["username"], "alice");
    assert_eq!(user["name"], "alice Name");
    assert_eq!(user["email"], "alice@example.com");
    assert!(
        user["created_at"].as_str().unwrap().ends_with('Z'),
        "{user}"
    );
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/users/{id}").as_str())
    );
    assert!(response.header("etag").is_some());
    // Signed up means logged in.
    assert!(alice.cookie.is_some());
    let me = alice.get("/api/v1/auth/me").await;
    me.assert_status(200);
    assert_eq!(me.json()["id"], id);
    // Without a name, the username is the display name.
    let mut bob = api.client();
    let response = bob
        .post(
            "/api/v1/users",
            json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}),
        )
        .await;
    response.assert_status(201);
    assert_eq!(response.json()["name"], "bob");
    api.stop().await;
}

async fn sign_up_refuses_taken_usernames_and_emails(backend: Backend) {
    let api = crate::spawn!(backend);
    api.user("alice").await;
    let mut client = api.client();
    let mut taken = sign_up("ALICE");
    taken["email"] = json!("other@example.com");
    let details = client
        .post("/api/v1/users", taken)
        .await
        .assert_error(409, "conflict");
    assert_eq!(details, json!({"username": ["taken"]}));
    let mut taken = sign_up("alice2");
    taken["email"] = json!("Alice@Example.com");
    let details = client
        .post("/api/v1/users", taken)
        .await
        .assert_error(409, "conflict");
    assert_eq!(details, json!({"email": ["taken"]}));
    assert!(client.cookie.is_none(), "a failed sign-up logs nobody in");
    assert_eq!(user_count(&api).await, 1);
    api.stop().await;
}

async fn sign_up_names_every_invalid_field(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    let details = client
        .post(
            "/api/v1/users",
            json!({"username": "a", "email": "nope", "name": " ", "password": "short"}),
        )
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(
        details,
        json!({
            "username": ["too_short"],
            "email": ["invalid_format"],
            "name": ["blank"],
            "password": ["too_short"],
        })
    );
    // bcrypt reads 72 bytes: a longer password is refused, not truncated.
    let mut long = sign_up("carol");
    long["password"] = json!("x".repeat(73));
    let details = client
        .post("/api/v1/users", long)
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"password": ["too_long"]}));
    let details = client
        .post("/api/v1/users", json!({"username": "carol"}))
        .await
        .assert_error(422, "validation_failed");
    assert!(details.get("email").is_some(), "{details}");
    assert_eq!(user_count(&api).await, 0);
    api.stop().await;
}

async fn users_are_listed_newest_first_in_pages(backend: Backend) {
    let api = crate::spawn!(backend);
    for name in ["ann", "ben", "cat"] {
        api.user(name).await;
    }
    let mut client = api.client();
    let all = client.get("/api/v1/users").await;
    all.assert_status(200);
    assert_eq!(usernames(&all.json()["user_list"]), ["cat", "ben", "ann"]);
    assert!(all.header("link").is_none(), "a short page has no next");
    for user in all.json()["user_list"].as_array().unwrap() {
        assert!(user.get("email").is_none(), "{user}");
    }
    let page = client.get("/api/v1/users?limit=2").await;
    assert_eq!(usernames(&page.json()["user_list"]), ["cat", "ben"]);
    let next = next_link(&page);
    let rest = client.get(&next).await;
    assert_eq!(usernames(&rest.json()["user_list"]), ["ann"]);
    api.stop().await;
}

async fn a_user_shows_their_email_only_to_themself(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let own = alice.get(&path).await;
    own.assert_status(200);
    assert_eq!(own.json()["email"], "alice@example.com");
    assert!(own.header("etag").is_some());
    let (mut bob, _) = api.user("bob").await;
    let other = bob.get(&path).await;
    other.assert_status(200);
    assert_eq!(other.json()["username"], "alice");
    assert!(other.json().get("email").is_none());
    let anonymous = api.client().get(&path).await;
    assert!(anonymous.json().get("email").is_none());
    api.stop().await;
}

async fn unknown_and_bogus_user_ids_are_404(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    for id in ["123456789", "abc", "-1", "007", "99999999999999999999999"] {
        client
            .get(&format!("/api/v1/users/{id}"))
            .await
            .assert_error(404, "not_found");
    }
    api.stop().await;
}

async fn a_user_updates_their_profile_with_if_match(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let etag = alice.get(&path).await.header("etag").unwrap().to_string();
    let response = alice
        .raw(
            reqwest::Method::PUT,
            &path,
            Some("application/json"),
            json!({"name": "Alice Liddell", "email": "liddell@example.com",
                "current_password": PASSWORD})
            .to_string(),
            &[("if-match", &etag)],
        )
        .await;
    response.assert_status(200);
    assert_eq!(response.json()["name"], "Alice Liddell");
    assert_eq!(response.json()["email"], "liddell@example.com");
    let new_etag = response.header("etag").unwrap();
    assert_ne!(new_etag, etag);
    // Without If-Match the last write wins.
    let response = alice.put(&path, json!({"name": "Al"})).await;
    response.assert_status(200);
    assert_eq!(alice.get(&path).await.json()["name"], "Al");
    api.stop().await;
}

async fn a_bio_is_written_shown_to_anyone_and_cleared(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    assert!(user.get("bio").is_none(), "none at first");
    let bio = "Down the rabbit hole 🐇\n#wonderland";
    let response = alice
        .put(&path, json!({ "bio": format!("  {bio} ") }))
        .await;
    response.assert_status(200);
    assert_eq!(response.json()["bio"], bio, "trimmed");
    let mut anyone = api.client();
    assert_eq!(anyone.get(&path).await.json()["bio"], bio);

    let long = "🐇".repeat(161);
    let refused = alice.put(&path, json!({ "bio": long })).await;
    refused.assert_error(422, "validation_failed");
    assert_eq!(refused.json()["details"]["bio"], json!(["too_long"]));
    let refused = alice.put(&path, json!({ "bio": "\u{202E}olleh" })).await;
    assert_eq!(
        refused.json()["details"]["bio"],
        json!(["invalid_characters"])
    );
    assert_eq!(anyone.get(&path).await.json()["bio"], bio, "kept");

    alice
        .put(&path, json!({ "bio": "" }))
        .await
        .assert_status(200);
    assert!(
        anyone.get(&path).await.json().get("bio").is_none(),
        "cleared"
    );
    api.stop().await;
}

async fn a_stale_if_match_changes_nothing(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let stale = alice.get(&path).await.header("etag").unwrap().to_string();
    alice
        .put(&path, json!({"name": "First"}))
        .await
        .assert_status(200);
    for if_match in [stale.as_str(), "\"999\"", "garbage"] {
        let response = alice
            .raw(
                reqwest::Method::PUT,
                &path,
                Some("application/json"),
                json!({"name": "Second", "password": "new password", "current_password": PASSWORD})
                    .to_string(),
                &[("if-match", if_match)],
            )
            .await;
        response.assert_error(412, "precondition_failed");
    }
    assert_eq!(alice.get(&path).await.json()["name"], "First");
    // Deleting with a stale version deletes nothing either.
    alice
        .raw(
            reqwest::Method::DELETE,
            &path,
            None,
            "",
            &[("if-match", &stale)],
        )
        .await
        .assert_error(412, "precondition_failed");
    alice.get("/api/v1/auth/me").await.assert_status(200);
    // The password did not change either.
    let mut again = api.client();
    again
        .post(
            "/api/v1/auth/login",
            json!({"username": "alice", "password": PASSWORD}),
        )
        .await
        .assert_status(200);
    api.stop().await;
}

async fn changing_the_password_needs_the_current_one(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let details = alice
        .put(&path, json!({"password": "new password"}))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"current_password": ["required"]}));
    let details = alice
        .put(
            &path,
            json!({"name": "Changed", "password": "new password", "current_password": "wrong one!"}),
        )
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"current_password": ["mismatch"]}));
    assert_eq!(alice.get(&path).await.json()["name"], "alice Name");
    alice
        .put(
            &path,
            json!({"password": "new password", "current_password": PASSWORD}),
        )
        .await
        .assert_status(200);
    let mut client = api.client();
    client
        .post(
            "/api/v1/auth/login",
            json!({"username": "alice", "password": PASSWORD}),
        )
        .await
        .assert_error(401, "unauthorized");
    client
        .post(
            "/api/v1/auth/login",
            json!({"username": "alice", "password": "new password"}),
        )
        .await
        .assert_status(200);
    api.stop().await;
}

async fn profile_changes_refuse_a_taken_email(backend: Backend) {
    let api = crate::spawn!(backend);
    api.user("bob").await;
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let details = alice
        .put(
            &path,
            json!({"email": "BOB@example.com", "current_password": PASSWORD}),
        )
        .await
        .assert_error(409, "conflict");
    assert_eq!(details, json!({"email": ["taken"]}));
    assert_eq!(alice.get(&path).await.json()["email"], "alice@example.com");
    api.stop().await;
}

/// Security review L-7: the address a reset would go to is a credential,
/// so changing it asks for the password, as changing the password does.
async fn an_email_change_needs_the_current_password(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let details = alice
        .put(&path, json!({"email": "new@example.com"}))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"current_password": ["required"]}));
    let details = alice
        .put(
            &path,
            json!({"email": "new@example.com", "current_password": "not the one"}),
        )
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(details, json!({"current_password": ["mismatch"]}));
    assert_eq!(alice.get(&path).await.json()["email"], "alice@example.com");
    // The name alone needs nothing more than the session.
    alice
        .put(
            &path,
            json!({"name": "Alice L", "email": "alice@example.com"}),
        )
        .await
        .assert_status(200);
    api.stop().await;
}

/// Security review M-1, M-2 and L-5: each profile change grows the
/// user's history and may probe whether an address is taken, and each
/// post fills the timeline; both are throttled per user.
async fn profile_changes_and_posts_are_throttled(backend: Backend) {
    let config = server::config::Config {
        profile_rate_burst: 3,
        post_rate_burst: 2,
        post_rate_refill_secs: 60,
        ..server::config::Config::for_tests()
    };
    let api = crate::spawn!(backend, config);
    let (mut alice, user) = api.user("alice").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    for n in 0..3 {
        alice
            .put(&path, json!({"name": format!("Alice {n}")}))
            .await
            .assert_status(200);
    }
    let limited = alice.put(&path, json!({"name": "Alice again"})).await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    for n in 0..2 {
        alice
            .post("/api/v2/tweets", json!({"body": format!("tweet {n}")}))
            .await
            .assert_status(201);
    }
    alice
        .post("/api/v2/tweets", json!({"body": "one too many"}))
        .await
        .assert_error(429, "rate_limited");
    // Someone else is not affected.
    let (mut bob, _) = api.user("bob").await;
    bob.post("/api/v2/tweets", json!({"body": "mine"}))
        .await
        .assert_status(201);
    api.stop().await;
}

async fn only_the_user_changes_or_deletes_themself(backend: Backend) {
    let api = crate::spawn!(backend);
    let (_, alice) = api.user("alice").await;
    let (mut bob, _) = api.user("bob").await;
    let path = format!("/api/v1/users/{}", alice["id"].as_str().unwrap());
    bob.put(&path, json!({"name": "hacked"}))
        .await
        .assert_error(403, "forbidden");
    bob.delete(&path).await.assert_error(403, "forbidden");
    let mut anonymous = api.client();
    anonymous
        .put(&path, json!({"name": "hacked"}))
        .await
        .assert_error(401, "unauthorized");
    anonymous
        .delete(&path)
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(anonymous.get(&path).await.json()["name"], "alice Name");
    api.stop().await;
}

async fn deleting_an_account_ends_it_everywhere(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, user) = api.user("alice").await;
    let mut other_device = api.client();
    other_device
        .post(
            "/api/v1/auth/login",
            json!({"username": "alice", "password": PASSWORD}),
        )
        .await
        .assert_status(200);
    alice
        .post("/api/v2/tweets", json!({"body": "bye"}))
        .await
        .assert_status(201);
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let response = alice.delete(&path).await;
    response.assert_status(204);
    assert!(response
        .header("set-cookie")
        .is_some_and(|c| c.contains("Max-Age=0")));
    alice.get(&path).await.assert_error(404, "not_found");
    other_device
        .get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    let tweets = api.client().get("/api/v2/tweets").await.json();
    assert_eq!(tweets["tweets_list"], json!([]));
    // The other device's session died with the account.
    other_device
        .post("/api/v2/tweets", json!({"body": "ghost"}))
        .await
        .assert_error(401, "unauthorized");
    api.stop().await;
}

async fn the_original_delete_names_the_user_in_the_body(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    api.user("bob").await;
    let mut anonymous = api.client();
    anonymous
        .raw(
            reqwest::Method::DELETE,
            "/api/v1/users",
            Some("application/json"),
            json!({"username": "alice"}).to_string(),
            &[],
        )
        .await
        .assert_error(401, "unauthorized");
    let delete = |name: &str| json!({"username": name}).to_string();
    alice
        .raw(
            reqwest::Method::DELETE,
            "/api/v1/users",
            Some("application/json"),
            delete("bob"),
            &[],
        )
        .await
        .assert_error(403, "forbidden");
    alice
        .raw(
            reqwest::Method::DELETE,
            "/api/v1/users",
            Some("application/json"),
            delete("Alice"),
            &[],
        )
        .await
        .assert_status(204);
    assert_eq!(
        usernames(&api.client().get("/api/v1/users").await.json()["user_list"]),
        ["bob"]
    );
    api.stop().await;
}

async fn tweets_are_posted_as_the_session_user(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let response = alice
        .post("/api/v2/tweets", json!({"body": "  hello, world  "}))
        .await;
    response.assert_status(201);
    let tweet = response.json();
    assert_eq!(tweet["body"], "hello, world");
    assert_eq!(tweet["tweetedby"], "alice");
    assert!(tweet["timestamp"].as_str().unwrap().ends_with('Z'));
    let id = tweet["id"].as_str().unwrap();
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v2/tweets/{id}").as_str())
    );
    // The original clients send `tweetedby`: fine when it is you.
    alice
        .post(
            "/api/v2/tweets",
            json!({"body": "again", "tweetedby": "alice"}),
        )
        .await
        .assert_status(201);
    alice
        .post(
            "/api/v2/tweets",
            json!({"body": "as bob", "tweetedby": "bob"}),
        )
        .await
        .assert_error(403, "forbidden");
    api.client()
        .post("/api/v2/tweets", json!({"body": "anonymous"}))
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(tweet_count(&api).await, 2);
    api.stop().await;
}

async fn tweets_are_listed_newest_first_and_by_author(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let (mut bob, _) = api.user("bob").await;
    for (client, body) in [(&mut alice, "a1"), (&mut bob, "b1")] {
        client
            .post("/api/v2/tweets", json!({"body": body}))
            .await
            .assert_status(201);
    }
    alice
        .post("/api/v2/tweets", json!({"body": "a2"}))
        .await
        .assert_status(201);
    let mut client = api.client();
    let all = client.get("/api/v2/tweets").await;
    all.assert_status(200);
    assert_eq!(bodies(&all.json()), ["a2", "b1", "a1"]);
    let alices = client.get("/api/v2/tweets?tweetedby=alice").await;
    assert_eq!(bodies(&alices.json()), ["a2", "a1"]);
    for tweet in alices.json()["tweets_list"].as_array().unwrap() {
        assert_eq!(tweet["tweetedby"], "alice");
    }
    client
        .get("/api/v2/tweets?tweetedby=nobody")
        .await
        .assert_error(404, "not_found");
    let details = client
        .get("/api/v2/tweets?tweetedby=%00")
        .await
        .assert_error(422, "validation_failed");
    assert!(details.get("tweetedby").is_some(), "{details}");
    api.stop().await;
}

async fn tweets_page_with_limit_max_id_since_id_and_link(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let tweet = alice
            .post("/api/v2/tweets", json!({"body": format!("t{n}")}))
            .await
            .json();
        ids.push(tweet["id"].as_str().unwrap().to_string());
    }
    let mut client = api.client();
    let first = client.get("/api/v2/tweets?limit=2").await;
    assert_eq!(bodies(&first.json()), ["t4", "t3"]);
    let next = next_link(&first);
    let second = client.get(&next).await;
    assert_eq!(bodies(&second.json()), ["t2", "t1"]);
    let third = client.get(&next_link(&second)).await;
    assert_eq!(bodies(&third.json()), ["t0"]);
    assert!(third.header("link").is_none());
    let newer = client
        .get(&format!("/api/v2/tweets?since_id={}", ids[2]))
        .await;
    assert_eq!(bodies(&newer.json()), ["t4", "t3"]);
    let older = client
        .get(&format!("/api/v2/tweets?max_id={}", ids[2]))
        .await;
    assert_eq!(bodies(&older.json()), ["t1", "t0"]);
    let by_author = client.get("/api/v2/tweets?tweetedby=alice&limit=4").await;
    assert!(next_link(&by_author).contains("tweetedby=alice"));
    api.stop().await;
}

async fn a_tweet_is_shown_or_404(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let tweet = alice
        .post("/api/v2/tweets", json!({"body": "hi"}))
        .await
        .json();
    let mut client = api.client();
    let shown = client
        .get(&format!("/api/v2/tweets/{}", tweet["id"].as_str().unwrap()))
        .await;
    shown.assert_status(200);
    assert_eq!(shown.json(), tweet);
    for id in ["1", "abc", "0", "-5", "1e9"] {
        client
            .get(&format!("/api/v2/tweets/{id}"))
            .await
            .assert_error(404, "not_found");
    }
    api.stop().await;
}

async fn only_the_author_deletes_a_tweet(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    let (mut bob, _) = api.user("bob").await;
    let tweet = alice
        .post("/api/v2/tweets", json!({"body": "mine"}))
        .await
        .json();
    let path = format!("/api/v2/tweets/{}", tweet["id"].as_str().unwrap());
    bob.delete(&path).await.assert_error(404, "not_found");
    api.client()
        .delete(&path)
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(tweet_count(&api).await, 1);
    alice.delete(&path).await.assert_status(204);
    alice.delete(&path).await.assert_error(404, "not_found");
    alice.get(&path).await.assert_error(404, "not_found");
    api.stop().await;
}

async fn tweet_bodies_are_validated(backend: Backend) {
    let api = crate::spawn!(backend);
    let (mut alice, _) = api.user("alice").await;
    for (body, code) in [
        (json!("   "), "blank"),
        (json!("x".repeat(281)), "too_long"),
        (json!("bell\u{7}"), "invalid_characters"),
    ] {
        let details = alice
            .post("/api/v2/tweets", json!({"body": body}))
            .await
            .assert_error(422, "validation_failed");
        assert_eq!(details, json!({"body": [code]}));
    }
    // 280 thumbs with skin tones are 280 characters, though 2,240 bytes.
    alice
        .post("/api/v2/tweets", json!({"body": "👍🏽".repeat(280)}))
        .await
        .assert_status(201);
    assert_eq!(tweet_count(&api).await, 1);
    api.stop().await;
}

async fn readiness_pings_the_store(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut client = api.client();
    let ready = client.get("/readyz").await;
    ready.assert_status(200);
    assert_eq!(ready.json()["status"], "ok");
    client.get("/healthz").await.assert_status(200);
    api.stop().await;
}

/// Must show 6. The test client also checks every response of every test
/// for bcrypt hashes, and every successful one for the word "password";
/// this walks each route that returns a user and pins the exact fields.
async fn no_user_response_reveals_a_password(backend: Backend) {
    let api = crate::spawn!(backend);
    let mut alice = api.client();
    let signed_up = alice.post("/api/v1/users", sign_up("alice")).await;
    let id = signed_up.json()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/users/{id}");
    let own = ["created_at", "email", "id", "name", "username"];
    let public = ["created_at", "id", "name", "username"];
    // A user's own page also says how many they follow and are followed by.
    let own_profile = ["created_at", "email", "follows", "id", "name", "username"];
    let public_profile = ["created_at", "follows", "id", "name", "username"];
    let login = json!({"username": "alice", "password": PASSWORD});
    let mut responses = vec![
        (signed_up, &own[..]),
        (alice.post("/api/v1/auth/login", login).await, &own[..]),
        (alice.get("/api/v1/auth/me").await, &own[..]),
        (alice.get(&path).await, &own_profile[..]),
        (api.client().get(&path).await, &public_profile[..]),
        (
            alice
                .put(
                    &path,
                    json!({"name": "A", "password": "new password", "current_password": PASSWORD}),
                )
                .await,
            &own[..],
        ),
    ];
    let list = api.client().get("/api/v1/users").await;
    for (response, fields) in responses.drain(..) {
        response.assert_status(if response.status == 201 { 201 } else { 200 });
        let user = response.json();
        let mut keys: Vec<&str> = user
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, fields, "{user}");
        assert!(!response.text.to_lowercase().contains("password"));
        assert!(!crate::helpers::client::has_bcrypt_hash(&response.text));
    }
    for user in list.json()["user_list"].as_array().unwrap() {
        let mut keys: Vec<&str> = user
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, public, "{user}");
    }
    api.stop().await;
}

fn usernames(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

fn bodies(list: &Value) -> Vec<String> {
    list["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["body"].as_str().unwrap().to_string())
        .collect()
}

/// The path of the `rel="next"` link.
fn next_link(response: &crate::helpers::Resp) -> String {
    let link = response.header("link").expect("a Link header");
    assert!(link.ends_with("; rel=\"next\""), "{link}");
    link.trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_string()
}

async fn user_count(api: &TestApp) -> usize {
    let list = api.client().get("/api/v1/users?limit=100").await.json();
    list["user_list"].as_array().unwrap().len()
}

async fn tweet_count(api: &TestApp) -> usize {
    let list = api.client().get("/api/v2/tweets?limit=100").await.json();
    list["tweets_list"].as_array().unwrap().len()
}
