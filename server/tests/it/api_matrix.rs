//! Who may call what. Every API route is classified in [`TABLE`]; the table
//! must equal the routes the server documents (and the router and its
//! OpenAPI document come from one registration), so a new route that nobody
//! classified fails here. Then every mutating route is tried without a
//! session (401) and with another user's session (403/404), and nothing may
//! change in the store.

use std::collections::BTreeSet;

use crate::helpers::{snapshot, Backend, Client, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// No session needed (reads, sign-up, login, logout).
    Anyone,
    /// Any logged-in user; acts as themself.
    LoggedIn,
    /// Only the user the resource belongs to: others get 403 (users) or 404
    /// (tweets, whose existence is not revealed).
    Owner,
}

use Who::*;

const TABLE: &[(&str, &str, Who)] = &[
    ("GET", "/api/v1/info", Anyone),
    ("GET", "/api/v1/users", Anyone),
    // Sign-up: creating an account is what anonymous people do.
    ("POST", "/api/v1/users", Anyone),
    ("DELETE", "/api/v1/users", Owner),
    ("GET", "/api/v1/users/{id}", Anyone),
    ("PUT", "/api/v1/users/{id}", Owner),
    ("DELETE", "/api/v1/users/{id}", Owner),
    ("GET", "/api/v1/users/{id}/following", Anyone),
    ("GET", "/api/v1/users/{id}/followers", Anyone),
    // Whom Alice follows is Alice's to change.
    ("PUT", "/api/v1/users/{id}/following/{target}", Owner),
    ("DELETE", "/api/v1/users/{id}/following/{target}", Owner),
    ("PUT", "/api/v1/users/{id}/blocking/{target}", Owner),
    ("DELETE", "/api/v1/users/{id}/blocking/{target}", Owner),
    ("GET", "/api/v1/users/{id}/relationships/{target}", Owner),
    ("GET", "/api/v2/tweets", Anyone),
    ("POST", "/api/v2/tweets", LoggedIn),
    ("GET", "/api/v2/tweets/{id}", Anyone),
    ("GET", "/api/v2/tweets/{id}/thread", Anyone),
    // Whose home: the logged-in user's.
    ("GET", "/api/v2/timelines/home", LoggedIn),
    ("DELETE", "/api/v2/tweets/{id}", Owner),
    // A like is the liker's own: anyone logged in may like any tweet.
    ("PUT", "/api/v2/tweets/{id}/like", LoggedIn),
    ("DELETE", "/api/v2/tweets/{id}/like", LoggedIn),
    ("GET", "/api/v1/users/{id}/likes", Anyone),
    // So is a repost.
    ("PUT", "/api/v2/tweets/{id}/repost", LoggedIn),
    ("DELETE", "/api/v2/tweets/{id}/repost", LoggedIn),
    ("GET", "/api/v2/tags/{tag}", Anyone),
    ("GET", "/api/v2/search/tweets", Anyone),
    ("GET", "/api/v2/search/users", Anyone),
    // Notifications are always the caller's own.
    ("GET", "/api/v2/notifications", LoggedIn),
    ("GET", "/api/v2/notifications/unread", LoggedIn),
    ("POST", "/api/v2/notifications/read", LoggedIn),
    ("POST", "/api/v1/auth/login", Anyone),
    // Logging out without a session is a harmless no-op (204).
    ("POST", "/api/v1/auth/logout", Anyone),
    ("GET", "/api/v1/auth/me", LoggedIn),
];

crate::on_both_stores!(
    every_route_is_classified_and_served,
    mutating_routes_need_a_session,
    other_users_cannot_act_on_your_things,
);

/// Alice with one tweet, and Bob.
struct World {
    api: TestApp,
    alice: Client,
    alice_id: String,
    tweet_id: String,
    bob: Client,
}

async fn world(backend: Backend) -> Option<World> {
    let api = TestApp::spawn(backend).await?;
    let (mut alice, user) = api.user("alice").await;
    let tweet = alice
        .post("/api/v2/tweets", json!({"body": "alice's"}))
        .await
        .json();
    let (bob, _) = api.user("bob").await;
    Some(World {
        alice_id: user["id"].as_str().unwrap().to_string(),
        tweet_id: tweet["id"].as_str().unwrap().to_string(),
        api,
        alice,
        bob,
    })
}

/// A request aimed at Alice's things, valid in every other respect.
fn request_for(world: &World, method: &str, path: &str) -> (Method, String, Option<Value>) {
    let concrete = path
        .replace("/users/{id}", &format!("/users/{}", world.alice_id))
        .replace("{target}", &world.alice_id)
        .replace("/tweets/{id}", &format!("/tweets/{}", world.tweet_id));
    let body = match (method, path) {
        ("POST", "/api/v1/users") => Some(crate::helpers::sign_up("mallory")),
        ("DELETE", "/api/v1/users") => Some(json!({"username": "alice"})),
        ("PUT", _) => Some(json!({"name": "Mallory was here"})),
        // As Bob, claiming to be Alice.
        ("POST", "/api/v2/tweets") => Some(json!({"body": "forged", "tweetedby": "alice"})),
        ("POST", "/api/v1/auth/login") => Some(json!({"username": "alice", "password": PASSWORD})),
        ("POST", _) => Some(json!({})),
        _ => None,
    };
    (method.parse().unwrap(), concrete, body)
}

async fn every_route_is_classified_and_served(backend: Backend) {
    let Some(mut world) = world(backend).await else {
        return;
    };
    let doc = world.alice.get("/api/openapi.json").await.json();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| {
                    ["get", "put", "post", "delete", "patch", "head", "options"]
                        .contains(&k.as_str())
                })
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let classified: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, classified,
        "every API route must be classified in TABLE (and nothing else)"
    );
    // And every documented route is really served: never the unknown-route
    // 404 nor a 405.
    for (method, path, _) in TABLE {
        let (method, concrete, body) = request_for(&world, method, path);
        let response = world
            .alice
            .stranger()
            .send(method.clone(), &concrete, body)
            .await;
        assert_ne!(response.status, 405, "{method} {path}: {}", response.text);
        assert!(
            !response.text.contains("no such API endpoint"),
            "{method} {path} is documented but not routed"
        );
    }
    world.api.stop().await;
}

async fn mutating_routes_need_a_session(backend: Backend) {
    let Some(world) = world(backend).await else {
        return;
    };
    let before = snapshot(&world.api.store).await;
    for (method, path, who) in TABLE {
        if *method == "GET" || *who == Anyone {
            continue;
        }
        let (method, concrete, body) = request_for(&world, method, path);
        let mut anonymous = world.api.client();
        anonymous
            .send(method.clone(), &concrete, body)
            .await
            .assert_error(401, "unauthorized");
        // A cookie naming no session is no session.
        anonymous.cookie = Some(format!("chirp_session={}", "0".repeat(64)));
        let (_, _, body) = request_for(&world, method.as_str(), path);
        anonymous
            .send(method.clone(), &concrete, body)
            .await
            .assert_error(401, "unauthorized");
    }
    assert_eq!(snapshot(&world.api.store).await, before);
    world.api.stop().await;
}

async fn other_users_cannot_act_on_your_things(backend: Backend) {
    let Some(mut world) = world(backend).await else {
        return;
    };
    let before = snapshot(&world.api.store).await;
    for (method, path, who) in TABLE {
        // A logged-in route acts as its caller (Bob may like Alice's
        // tweet); only one that names someone else, the tweet claiming to
        // be Alice's, is hers to refuse.
        let claims_alice = *method == "POST" && *path == "/api/v2/tweets";
        if *method == "GET" || *who == Anyone || (*who == LoggedIn && !claims_alice) {
            continue;
        }
        let (method, concrete, body) = request_for(&world, method, path);
        let response = world.bob.send(method.clone(), &concrete, body).await;
        assert!(
            [403, 404].contains(&response.status),
            "Bob on Alice's {method} {path}: {} {}",
            response.status,
            response.text
        );
        let code = if response.status == 403 {
            "forbidden"
        } else {
            "not_found"
        };
        response.assert_error(response.status, code);
    }
    assert_eq!(snapshot(&world.api.store).await, before);
    // Alice still can.
    world
        .alice
        .delete(&format!("/api/v2/tweets/{}", world.tweet_id))
        .await
        .assert_status(204);
    world.api.stop().await;
}
