//! Kafka as the event log, on the broker the test command runs: what users
//! do through the API reaches `chirp.user-events` and `chirp.tweets` (three
//! partitions each) in each user's order, keyed by the user, carrying no
//! secret; and the user directory, another service fed only by those
//! topics, ends up saying what the API says, also after a rebuild from
//! offset 0.
//!
//! The topics are shared with the other tests, so each test looks only at
//! the users it made (ids are unique across stores).

use std::{collections::HashSet, time::Duration};

use serde_json::{json, Value};
use server::{
    domain::Id,
    publish::{
        directory::{self, Directory, Listed},
        envelope::{TWEETS_TOPIC, USER_EVENTS_TOPIC},
    },
};

use crate::helpers::{
    kafka::{first_arrivals, partitions, read_until, shared_brokers, start_relay, Received},
    Backend, Client, TestApp, PASSWORD,
};

crate::on_both_stores!(
    every_change_through_the_api_reaches_the_topics_in_order_and_without_secrets,
    the_directory_fed_by_the_topics_says_what_the_api_says,
);

const NEW_PASSWORD: &str = "a new secret";

/// What a test did through the API.
struct Story {
    ada: Id,
    bob: Id,
    /// Ada's tweets as posted, oldest first; the first one was deleted.
    ada_tweets: Vec<Id>,
    bob_tweet: Id,
    /// Every session cookie the server set.
    cookies: Vec<String>,
}

fn id(value: &Value) -> Id {
    value["id"].as_str().unwrap().parse().unwrap()
}

fn remember(cookies: &mut Vec<String>, client: &Client) {
    if let Some(cookie) = &client.cookie {
        cookies.push(cookie.clone());
    }
}

/// Ada signs up, renames herself, changes her password, logs out and in
/// again, posts three tweets and deletes the first; Bob signs up, posts
/// and deletes his account.
async fn story(app: &TestApp) -> Story {
    let mut cookies = Vec::new();
    let (mut ada, ada_json) = app.user("ada").await;
    remember(&mut cookies, &ada);
    let ada_id = id(&ada_json);
    let me = format!("/api/v1/users/{ada_id}");
    ada.put(&me, json!({"name": "Ada Lovelace"}))
        .await
        .assert_status(200);
    ada.put(
        &me,
        json!({"password": NEW_PASSWORD, "current_password": PASSWORD}),
    )
    .await
    .assert_status(200);
    remember(&mut cookies, &ada);
    ada.post("/api/v1/auth/logout", json!({}))
        .await
        .assert_status(204);
    ada.post(
        "/api/v1/auth/login",
        json!({"username": "ada", "password": NEW_PASSWORD}),
    )
    .await
    .assert_status(200);
    remember(&mut cookies, &ada);
    let mut ada_tweets = Vec::new();
    for n in 1..=3 {
        let posted = ada
            .post(
                "/api/v2/tweets",
                json!({"body": format!("ada's tweet {n}")}),
            )
            .await;
        posted.assert_status(201);
        ada_tweets.push(id(&posted.json()));
    }
    ada.delete(&format!("/api/v2/tweets/{}", ada_tweets[0]))
        .await
        .assert_status(204);

    let (mut bob, bob_json) = app.user("bob").await;
    remember(&mut cookies, &bob);
    let bob_id = id(&bob_json);
    let posted = bob
        .post("/api/v2/tweets", json!({"body": "bob was here"}))
        .await;
    posted.assert_status(201);
    bob.delete(&format!("/api/v1/users/{bob_id}"))
        .await
        .assert_status(204);
    Story {
        ada: ada_id,
        bob: bob_id,
        ada_tweets,
        bob_tweet: id(&posted.json()),
        cookies,
    }
}

async fn every_change_through_the_api_reaches_the_topics_in_order_and_without_secrets(
    backend: Backend,
) {
    let Some(brokers) = shared_brokers() else {
        return;
    };
    let app = crate::spawn!(backend);
    let _relay = start_relay(&app.store, &brokers);
    let story = story(&app).await;

    for topic in [USER_EVENTS_TOPIC, TWEETS_TOPIC] {
        assert_eq!(partitions(&brokers, topic), 3, "{topic}");
    }

    // Every event the store holds for each user, on the topic in its
    // version order, keyed by the user, all on the user's one partition.
    let ours =
        |r: &Received| [story.ada, story.bob].contains(&r.envelope.stream_id.parse().unwrap());
    let mut histories = Vec::new();
    for user in [story.ada, story.bob] {
        histories.push((user, app.store.users.history(user).await.unwrap()));
    }
    let expected: usize = histories.iter().map(|(_, h)| h.len()).sum();
    let user_events = read_until(&brokers, USER_EVENTS_TOPIC, |got| {
        first_arrivals(got, ours).len() >= expected
    })
    .await;
    for (user, history) in &histories {
        let published = first_arrivals(&user_events, |r| r.envelope.stream_id == user.to_string());
        let published_ids: Vec<String> = published
            .iter()
            .map(|r| r.envelope.event_id.clone())
            .collect();
        let stored_ids: Vec<String> = history.iter().map(|e| e.id.to_string()).collect();
        assert_eq!(
            published_ids, stored_ids,
            "user {user}: events in version order"
        );
        let versions: Vec<u64> = published.iter().map(|r| r.envelope.version).collect();
        assert_eq!(versions, (1..=history.len() as u64).collect::<Vec<_>>());
        assert!(
            published.iter().all(|r| r.key == user.to_string()),
            "keyed by the user"
        );
        let partitions: HashSet<i32> = published.iter().map(|r| r.partition).collect();
        assert_eq!(partitions.len(), 1, "one user, one partition");
        for (message, stored) in published.iter().zip(history) {
            assert_eq!(message.envelope.kind, stored.event.kind());
            assert_eq!(message.envelope.schema_version, 1);
        }
    }
    let kinds = |user: Id| -> Vec<String> {
        first_arrivals(&user_events, |r| r.envelope.stream_id == user.to_string())
            .iter()
            .map(|r| r.envelope.kind.clone())
            .collect()
    };
    let ada_kinds = kinds(story.ada);
    for kind in [
        "user_registered",
        "profile_updated",
        "password_changed",
        "logged_in",
    ] {
        assert!(
            ada_kinds.iter().any(|k| k == kind),
            "{kind} in {ada_kinds:?}"
        );
    }
    assert_eq!(
        kinds(story.bob).last().map(String::as_str),
        Some("user_deleted")
    );

    // Every tweet posted and deleted, keyed by its author.
    let tweet_events = read_until(&brokers, TWEETS_TOPIC, |got| {
        first_arrivals(got, |r| {
            [story.ada, story.bob].contains(
                &r.envelope.data["author_id"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap(),
            )
        })
        .len()
            >= 5
    })
    .await;
    let of = |author: Id| -> Vec<(String, String)> {
        first_arrivals(&tweet_events, |r| {
            r.envelope.data["author_id"] == author.to_string()
        })
        .iter()
        .inspect(|r| assert_eq!(r.key, author.to_string(), "keyed by the author"))
        .map(|r| (r.envelope.kind.clone(), r.envelope.stream_id.clone()))
        .collect()
    };
    let t = |n: usize| story.ada_tweets[n].to_string();
    assert_eq!(
        of(story.ada),
        vec![
            ("tweet_posted".into(), t(0)),
            ("tweet_posted".into(), t(1)),
            ("tweet_posted".into(), t(2)),
            ("tweet_deleted".into(), t(0)),
        ]
    );
    assert_eq!(
        of(story.bob),
        vec![("tweet_posted".into(), story.bob_tweet.to_string())]
    );

    // Nothing that would let anyone log in leaves the server.
    let ours_everywhere = user_events
        .iter()
        .filter(|r| ours(r))
        .chain(tweet_events.iter().filter(|r| {
            [story.ada.to_string(), story.bob.to_string()]
                .contains(&r.envelope.data["author_id"].as_str().unwrap().to_owned())
        }));
    let secrets: Vec<&str> = [PASSWORD, NEW_PASSWORD, "$2", "@example.com"]
        .into_iter()
        .chain(
            story
                .cookies
                .iter()
                .map(|c| c.split_once('=').map_or(c.as_str(), |(_, v)| v)),
        )
        .collect();
    for message in ours_everywhere {
        for secret in &secrets {
            assert!(
                !message.payload.contains(secret),
                "{secret:?} in {}",
                message.payload
            );
        }
    }
    app.stop().await;
}

/// What the API says the directory should hold for `user`, or `None` when
/// the API does not know them.
async fn listed_by_the_api(app: &TestApp, user: Id, logins: u64) -> Option<Listed> {
    let mut client = app.client();
    let shown = client.get(&format!("/api/v1/users/{user}")).await;
    if shown.status == 404 {
        return None;
    }
    let shown = shown.json();
    let username = shown["username"].as_str().unwrap().to_owned();
    let tweets = client
        .get(&format!("/api/v2/tweets?tweetedby={username}&limit=100"))
        .await
        .json()["tweets_list"]
        .as_array()
        .unwrap()
        .len() as u64;
    Some(Listed {
        id: user.to_string(),
        username,
        name: shown["name"].as_str().unwrap().to_owned(),
        logins,
        tweets,
    })
}

/// Waits until the directory's entries for `users` are `expected`.
async fn directory_converges(path: &std::path::Path, users: &[Id], expected: &[Listed]) {
    let wanted: HashSet<String> = users.iter().map(Id::to_string).collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let listed: Vec<Listed> = Directory::open(path)
            .unwrap()
            .users()
            .unwrap()
            .into_iter()
            .filter(|l| wanted.contains(&l.id))
            .collect();
        if listed == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the directory says {listed:?}, the API {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn the_directory_fed_by_the_topics_says_what_the_api_says(backend: Backend) {
    let Some(brokers) = shared_brokers() else {
        return;
    };
    let app = crate::spawn!(backend);
    let _relay = start_relay(&app.store, &brokers);
    let story = story(&app).await;
    let logins = app
        .store
        .users
        .history(story.ada)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.event.kind() == "logged_in")
        .count() as u64;
    let expected: Vec<Listed> = listed_by_the_api(&app, story.ada, logins)
        .await
        .into_iter()
        .collect();
    assert_eq!(expected.len(), 1, "Ada exists, Bob does not");
    assert_eq!(expected[0].tweets, 2);
    assert!(listed_by_the_api(&app, story.bob, 0).await.is_none());

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("directory.sqlite3");
    let group = format!("chirp-directory-test-{}", Id::generate());
    let users = [story.ada, story.bob];
    let consume = |rebuild: bool| {
        let (brokers, group, db) = (brokers.clone(), group.clone(), db.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            directory::run(&brokers, &group, &db, rebuild, async {
                let _ = stopped.await;
            })
            .await
            .unwrap()
        });
        (stop, task)
    };
    let (stop, task) = consume(false);
    directory_converges(&db, &users, &expected).await;
    stop.send(()).unwrap();
    task.await.unwrap();

    // Spoil the directory; a rebuild from offset 0 makes it right again.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE users SET logins = 99, name = 'spoilt'", [])
        .unwrap();
    let (stop, task) = consume(true);
    directory_converges(&db, &users, &expected).await;
    stop.send(()).unwrap();
    task.await.unwrap();
    app.stop().await;
}

/// The directory as it runs in production: its own process, stopped by
/// SIGTERM, read with `--list`.
#[tokio::test]
async fn the_directory_runs_as_a_process_of_its_own() {
    use std::process::Command;

    let Some(brokers) = shared_brokers() else {
        return;
    };
    let app = crate::spawn!(Backend::Sqlite);
    let _relay = start_relay(&app.store, &brokers);
    let story = story(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("directory.sqlite3");
    let binary = env!("CARGO_BIN_EXE_chirp-server");
    let mut directory = Command::new(binary)
        .args([
            "directory",
            "--group",
            &format!("chirp-directory-test-{}", Id::generate()),
        ])
        .arg("--db")
        .arg(&db)
        .env("CHIRP_KAFKA_BROKERS", &brokers)
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let ada: Value = loop {
        let listed = Command::new(binary)
            .args(["directory", "--list", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let lines = String::from_utf8(listed.stdout).unwrap();
        let ada = lines
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .find(|user| user["id"] == story.ada.to_string() && user["tweets"] == 2);
        if let Some(ada) = ada {
            break ada;
        }
        assert!(std::time::Instant::now() < deadline, "not listed: {lines}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(ada["username"], "ada");
    assert_eq!(ada["name"], "Ada Lovelace");
    let status = Command::new("kill")
        .args(["-TERM", &directory.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        directory.wait().unwrap().success(),
        "stops cleanly on SIGTERM"
    );
    app.stop().await;
}
