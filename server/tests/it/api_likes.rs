//! Likes through the API: as yourself, idempotent both ways, counted on
//! every tweet, marked `liked` for the reader who likes it (and only for
//! them), listed per user, and not for tweets of people you block or who
//! block you.

use serde_json::json;

use crate::helpers::{id, Backend, Client};

crate::on_both_stores!(
    a_like_is_counted_once_and_marked_for_its_liker_only,
    a_users_likes_are_listed_newest_tweet_first,
    you_cannot_like_what_is_not_there_for_you,
);

async fn like(client: &mut Client, tweet: &str) -> u16 {
    let path = format!("/api/v2/tweets/{tweet}/like");
    client.put(&path, json!({})).await.status
}

/// `(likes, liked)` of each tweet `path` lists for `client`.
async fn shown(client: &mut Client, path: &str) -> Vec<(u64, bool)> {
    let list = client.get(path).await;
    list.assert_status(200);
    list.json()["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["likes"].as_u64().unwrap(),
                t.get("liked").is_some_and(|l| l == true),
            )
        })
        .collect()
}

async fn a_like_is_counted_once_and_marked_for_its_liker_only(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, _) = app.user("bob").await;
    let first = ada.tweet("first").await;
    ada.tweet("second").await;
    let mut anyone = app.client();
    // The anonymous page is read (and cached) before the like.
    assert_eq!(
        shown(&mut anyone, "/api/v2/tweets").await,
        [(0, false), (0, false)]
    );

    assert_eq!(like(&mut bob, &first).await, 204);
    assert_eq!(like(&mut bob, &first).await, 204, "again: no change");
    assert_eq!(
        shown(&mut bob, "/api/v2/tweets").await,
        [(0, false), (1, true)]
    );
    assert_eq!(
        shown(&mut ada, "/api/v2/tweets").await,
        [(0, false), (1, false)]
    );
    assert_eq!(
        shown(&mut anyone, "/api/v2/tweets").await,
        [(0, false), (1, false)]
    );
    let one = anyone.get(&format!("/api/v2/tweets/{first}")).await.json();
    assert_eq!(one["likes"], 1);
    // Ada's home shows the count; Bob's (following nobody) does not show
    // Ada's tweets at all.
    assert_eq!(
        shown(&mut ada, "/api/v2/timelines/home").await,
        [(0, false), (1, false)]
    );

    let path = format!("/api/v2/tweets/{first}/like");
    bob.delete(&path).await.assert_status(204);
    bob.delete(&path).await.assert_status(204);
    assert_eq!(
        shown(&mut bob, "/api/v2/tweets").await,
        [(0, false), (0, false)]
    );
    anyone
        .put(&path, json!({}))
        .await
        .assert_error(401, "unauthorized");
    app.stop().await;
}

async fn a_users_likes_are_listed_newest_tweet_first(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let mut tweets = Vec::new();
    for n in 0..3 {
        tweets.push(ada.tweet(&format!("tweet {n}")).await);
    }
    for t in &tweets {
        assert_eq!(like(&mut bob, t).await, 204);
    }
    let bob_id = id(&bob_json);
    let mut anyone = app.client();
    let page = anyone
        .get(&format!("/api/v1/users/{bob_id}/likes?limit=2"))
        .await;
    page.assert_status(200);
    let bodies: Vec<String> = page.json()["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bodies, ["tweet 2", "tweet 1"]);
    let link = page.header("link").expect("a next link");
    assert!(link.contains(&format!("max_id={}", tweets[1])), "{link}");
    anyone
        .get("/api/v1/users/1/likes")
        .await
        .assert_error(404, "not_found");
    app.stop().await;
}

async fn you_cannot_like_what_is_not_there_for_you(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let adas = ada.tweet("ada's").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    ada.put(
        &format!("/api/v1/users/{ada_id}/blocking/{bob_id}"),
        json!({}),
    )
    .await
    .assert_status(204);
    let path = format!("/api/v2/tweets/{adas}/like");
    bob.put(&path, json!({}))
        .await
        .assert_error(404, "not_found");
    bob.put("/api/v2/tweets/123/like", json!({}))
        .await
        .assert_error(404, "not_found");
    bob.put("/api/v2/tweets/nope/like", json!({}))
        .await
        .assert_error(404, "not_found");
    let one = ada.get(&format!("/api/v2/tweets/{adas}")).await.json();
    assert_eq!(one["likes"], 0);
    app.stop().await;
}
