//! Following through the API: as yourself only, idempotent both ways, not
//! yourself nor nobody, listed both ways with cursors, counted on the
//! profile, and an event on the follower's stream.

use serde_json::{json, Value};

use crate::helpers::{Backend, Client, TestApp};

crate::on_both_stores!(
    following_and_unfollowing_show_in_both_lists_and_the_counts,
    a_follow_is_yours_to_make_of_someone_who_exists_and_not_yourself,
    follow_lists_page_with_a_link_and_lose_deleted_users,
    the_home_timeline_holds_your_tweets_and_those_of_whom_you_follow,
    a_block_ends_the_follows_both_ways_and_refuses_new_ones_until_lifted,
);

fn id(user: &Value) -> String {
    user["id"].as_str().unwrap().to_owned()
}

fn usernames(list: &Value) -> Vec<String> {
    list["user_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect()
}

async fn follow(client: &mut Client, me: &str, target: &str) -> u16 {
    client
        .put(&format!("/api/v1/users/{me}/following/{target}"), json!({}))
        .await
        .status
}

async fn following_and_unfollowing_show_in_both_lists_and_the_counts(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (_, bob_json) = app.user("bob").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    assert_eq!(follow(&mut ada, &ada_id, &bob_id).await, 204);
    assert_eq!(
        follow(&mut ada, &ada_id, &bob_id).await,
        204,
        "again: no change"
    );

    let mut anyone = app.client();
    let following = anyone
        .get(&format!("/api/v1/users/{ada_id}/following"))
        .await;
    following.assert_status(200);
    assert_eq!(usernames(&following.json()), ["bob"]);
    let followers = anyone
        .get(&format!("/api/v1/users/{bob_id}/followers"))
        .await;
    assert_eq!(usernames(&followers.json()), ["ada"]);
    let bob = anyone.get(&format!("/api/v1/users/{bob_id}")).await.json();
    assert_eq!(bob["follows"], json!({"following": 0, "followers": 1}));
    let ada_shown = anyone.get(&format!("/api/v1/users/{ada_id}")).await.json();
    assert_eq!(
        ada_shown["follows"],
        json!({"following": 1, "followers": 0})
    );

    let path = format!("/api/v1/users/{ada_id}/following/{bob_id}");
    ada.delete(&path).await.assert_status(204);
    ada.delete(&path).await.assert_status(204);
    let following = anyone
        .get(&format!("/api/v1/users/{ada_id}/following"))
        .await;
    assert!(usernames(&following.json()).is_empty());

    // One follow and one unfollow on Ada's stream: the repeats decided
    // nothing.
    let history = app
        .store
        .users
        .history(ada_id.parse().unwrap())
        .await
        .unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["user_registered", "followed", "unfollowed"]);
    app.stop().await;
}

async fn a_follow_is_yours_to_make_of_someone_who_exists_and_not_yourself(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (_, bob_json) = app.user("bob").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    ada.put(
        &format!("/api/v1/users/{ada_id}/following/{ada_id}"),
        json!({}),
    )
    .await
    .assert_error(422, "validation_failed");
    ada.put(
        &format!("/api/v1/users/{ada_id}/following/1234567"),
        json!({}),
    )
    .await
    .assert_error(404, "not_found");
    // Making Bob follow someone is Bob's business.
    ada.put(
        &format!("/api/v1/users/{bob_id}/following/{ada_id}"),
        json!({}),
    )
    .await
    .assert_error(403, "forbidden");
    app.client()
        .put(
            &format!("/api/v1/users/{ada_id}/following/{bob_id}"),
            json!({}),
        )
        .await
        .assert_error(401, "unauthorized");
    app.client()
        .get("/api/v1/users/1234567/followers")
        .await
        .assert_error(404, "not_found");
    let ada_shown = app
        .client()
        .get(&format!("/api/v1/users/{ada_id}"))
        .await
        .json();
    assert_eq!(
        ada_shown["follows"],
        json!({"following": 0, "followers": 0})
    );
    app.stop().await;
}

async fn follow_lists_page_with_a_link_and_lose_deleted_users(backend: Backend) {
    let app: TestApp = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let ada_id = id(&ada_json);
    let mut others = Vec::new();
    for name in ["bob", "cyd", "dee"] {
        let (client, user) = app.user(name).await;
        assert_eq!(follow(&mut ada, &ada_id, &id(&user)).await, 204);
        others.push((client, id(&user)));
    }
    let mut anyone = app.client();
    let first = anyone
        .get(&format!("/api/v1/users/{ada_id}/following?limit=2"))
        .await;
    assert_eq!(
        usernames(&first.json()),
        ["dee", "cyd"],
        "newest user first"
    );
    let link = first.header("link").expect("a next link").to_owned();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(usernames(&anyone.get(&next).await.json()), ["bob"]);

    let (mut dee, dee_id) = others.pop().unwrap();
    dee.delete(&format!("/api/v1/users/{dee_id}"))
        .await
        .assert_status(204);
    let following = anyone
        .get(&format!("/api/v1/users/{ada_id}/following"))
        .await;
    assert_eq!(usernames(&following.json()), ["cyd", "bob"]);
    app.stop().await;
}

fn bodies(list: &Value) -> Vec<String> {
    list["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_home_timeline_holds_your_tweets_and_those_of_whom_you_follow(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (mut cyd, _) = app.user("cyd").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    async fn post(client: &mut Client, body: &str) {
        client
            .post("/api/v2/tweets", json!({"body": body}))
            .await
            .assert_status(201);
    }
    post(&mut bob, "bob 1").await;
    post(&mut cyd, "cyd 1").await;
    post(&mut ada, "ada 1").await;
    post(&mut bob, "bob 2").await;
    let home = ada.get("/api/v2/timelines/home").await;
    home.assert_status(200);
    assert_eq!(bodies(&home.json()), ["ada 1"], "follows nobody yet");

    assert_eq!(follow(&mut ada, &ada_id, &bob_id).await, 204);
    let home = ada.get("/api/v2/timelines/home").await.json();
    assert_eq!(
        bodies(&home),
        ["bob 2", "ada 1", "bob 1"],
        "newest first, no cyd"
    );
    let first = ada.get("/api/v2/timelines/home?limit=2").await;
    let link = first.header("link").expect("a next link").to_owned();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(bodies(&ada.get(&next).await.json()), ["bob 1"]);
    // Bob's home is his own: Ada follows him, not he her.
    assert_eq!(
        bodies(&bob.get("/api/v2/timelines/home").await.json()),
        ["bob 2", "bob 1"]
    );
    app.client()
        .get("/api/v2/timelines/home")
        .await
        .assert_error(401, "unauthorized");
    app.stop().await;
}

async fn relationship(client: &mut Client, me: &str, other: &str) -> Value {
    let answer = client
        .get(&format!("/api/v1/users/{me}/relationships/{other}"))
        .await;
    answer.assert_status(200);
    answer.json()
}

async fn a_block_ends_the_follows_both_ways_and_refuses_new_ones_until_lifted(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    assert_eq!(follow(&mut ada, &ada_id, &bob_id).await, 204);
    assert_eq!(follow(&mut bob, &bob_id, &ada_id).await, 204);
    bob.post("/api/v2/tweets", json!({"body": "bob's"}))
        .await
        .assert_status(201);
    assert_eq!(
        relationship(&mut ada, &ada_id, &bob_id).await,
        json!({"following": true, "followed_by": true, "blocking": false})
    );

    let block = format!("/api/v1/users/{ada_id}/blocking/{bob_id}");
    ada.put(&block, json!({})).await.assert_status(204);
    ada.put(&block, json!({})).await.assert_status(204);
    assert_eq!(
        relationship(&mut ada, &ada_id, &bob_id).await,
        json!({"following": false, "followed_by": false, "blocking": true})
    );
    // Bob's tweets left Ada's home with her follow.
    let home = ada.get("/api/v2/timelines/home").await.json();
    assert_eq!(home["tweets_list"], json!([]));
    bob.put(
        &format!("/api/v1/users/{bob_id}/following/{ada_id}"),
        json!({}),
    )
    .await
    .assert_error(403, "forbidden");
    let followers = app
        .client()
        .get(&format!("/api/v1/users/{ada_id}/followers"))
        .await;
    assert!(usernames(&followers.json()).is_empty());
    // Whom Ada blocks is hers to know.
    bob.get(&format!("/api/v1/users/{ada_id}/relationships/{bob_id}"))
        .await
        .assert_error(403, "forbidden");
    ada.put(
        &format!("/api/v1/users/{ada_id}/blocking/{ada_id}"),
        json!({}),
    )
    .await
    .assert_error(422, "validation_failed");

    ada.delete(&block).await.assert_status(204);
    ada.delete(&block).await.assert_status(204);
    assert_eq!(follow(&mut bob, &bob_id, &ada_id).await, 204, "lifted");
    let history = app
        .store
        .users
        .history(ada_id.parse().unwrap())
        .await
        .unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.event.kind()).collect();
    assert_eq!(
        kinds,
        ["user_registered", "followed", "blocked", "unblocked"]
    );
    app.stop().await;
}
