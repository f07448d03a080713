//! `chirp-server fill-tweets`: the bulk path writes the same rows the API
//! does (tweets, follows, conversations), readable through every query,
//! all or none per batch; and the newest page, kept between reads, shows
//! every write at once.

use std::net::{IpAddr, Ipv4Addr};

use app::api::{LoginRequest, NewTweet};
use server::{
    commands::fill::{self, FillReport},
    config::Fill,
    domain::{Id, Tweet, TweetBody, Username},
    services::SignedIn,
    store::{ByAuthor, Limit, Page, TokenHash},
};

use crate::helpers::{Backend, TestApp};

const HERE: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn page(limit: i64) -> Page {
    Page::first(Limit::new(limit).unwrap())
}

async fn fresh() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await.unwrap()
}

/// `fill-tweets <tweets> <users>`.
async fn fill_tweets(app: &TestApp, tweets: u64, users: u32) -> FillReport {
    let only_tweets = Fill {
        tweets,
        users,
        follows: 0,
        thread: 0,
    };
    fill::fill(&app.state, &only_tweets).await.unwrap()
}

#[tokio::test]
async fn filled_tweets_read_back_like_posted_ones() {
    let app = fresh().await;
    let (store, sqlite) = (&app.store, app.sqlite().unwrap().clone());

    let report = fill_tweets(&app, 45_000, 3).await;
    assert_eq!(report.tweets, 45_000);
    assert_eq!(report.users, 3);
    let rows: i64 = sqlite
        .with_reader(|c| c.query_row("SELECT count(*) FROM tweets", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(rows, 45_000);

    // The filler users log in like anyone (their hash is a real one).
    let login = LoginRequest {
        username: "bench_1".into(),
        password: fill::PASSWORD.into(),
    };
    let (bench_1, _) = app.state.accounts.log_in(&login, HERE, None).await.unwrap();

    // Newest first, ids strictly decreasing, bodies as parsed, with their
    // authors' usernames, in one query.
    let newest = store.tweets.page(None, &[], page(20)).await.unwrap();
    assert_eq!(newest.len(), 20);
    assert!(newest.windows(2).all(|w| w[0].tweet.id > w[1].tweet.id));
    assert!(newest[0].tweet.body.as_str().ends_with("#44999"));
    assert!(newest.iter().all(|t| t.author.as_str()
        == format!(
            "bench_{}",
            t.tweet
                .body
                .as_str()
                .rsplit('#')
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                % 3
        )));

    // The deep page: exactly the 4,500 tweets older than deep_max_id exist.
    let deep: Id = report.deep_max_id.parse().unwrap();
    let older: i64 = sqlite
        .with_reader(move |c| {
            c.query_row(
                "SELECT count(*) FROM tweets WHERE id < ?1",
                [deep.as_i64()],
                |r| r.get(0),
            )
        })
        .await
        .unwrap();
    assert_eq!(older, 4_500);
    let deep_page = Page {
        max_id: Some(deep),
        ..page(20)
    };
    let found = store.tweets.page(None, &[], deep_page).await.unwrap();
    assert_eq!(found.len(), 20);
    assert!(found.iter().all(|t| t.tweet.id < deep));
    let authors = store
        .tweets
        .page(
            Some(ByAuthor {
                id: bench_1.id,
                replies: true,
            }),
            &[],
            deep_page,
        )
        .await
        .unwrap();
    assert_eq!(authors.len(), 20);
    assert!(authors.iter().all(|t| t.tweet.author_id == bench_1.id
        && t.tweet.id < deep
        && t.author.as_str() == "bench_1"));

    // Per author, through the (author_id, id) index.
    let by_author = store
        .tweets
        .page(
            Some(ByAuthor {
                id: bench_1.id,
                replies: true,
            }),
            &[],
            page(100),
        )
        .await
        .unwrap();
    assert_eq!(by_author.len(), 100);
    assert!(by_author.iter().all(|t| t.tweet.author_id == bench_1.id));

    // Running it again adds tweets for the same users.
    let again = fill_tweets(&app, 10, 3).await;
    assert_eq!(again.tweets, 10);
    assert_eq!(store.users.list(page(100)).await.unwrap().len(), 3);

    let check: String = sqlite
        .with_reader(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(check, "ok");
    app.stop().await;
}

#[tokio::test]
async fn filled_follows_and_threads_read_back_like_made_ones() {
    let app = fresh().await;
    let social = Fill {
        tweets: 60,
        users: 5,
        follows: 2,
        thread: 30,
    };
    let report = fill::fill(&app.state, &social).await.unwrap();
    assert_eq!(report.follows, 10);
    let user = |name: &str| {
        let username = Username::parse(name).unwrap();
        let users = &app.store.users;
        async move { users.by_username(&username).await.unwrap().unwrap() }
    };
    let (bench_0, bench_1, bench_4) = (
        user("bench_0").await,
        user("bench_1").await,
        user("bench_4").await,
    );

    // bench_0 follows bench_1 and bench_2; bench_3 and bench_4 follow it.
    let graph = &app.store.follows;
    let counts = graph.follow_counts(bench_0.id).await.unwrap();
    assert_eq!((counts.following, counts.followers), (2, 2));
    assert!(graph.follows(bench_0.id, bench_1.id).await.unwrap());
    assert!(graph.follows(bench_4.id, bench_0.id).await.unwrap());
    assert!(!graph.follows(bench_1.id, bench_0.id).await.unwrap());
    // Each follow is an event on the follower's stream, as the API writes it.
    let history = app.store.users.history(bench_0.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .filter(|e| e.event.kind() == "followed")
            .count(),
        2
    );

    // Home: bench_0's own tweets and bench_1's and bench_2's, no others.
    let home = graph
        .home_timeline(bench_0.id, &[], page(100))
        .await
        .unwrap();
    let mut authors: Vec<&str> = home.iter().map(|t| t.author.as_str()).collect();
    authors.sort();
    authors.dedup();
    assert_eq!(authors, ["bench_0", "bench_1", "bench_2"]);

    // The wide thread: 30 replies, oldest first; the deep one: 30 above its tip.
    let root: Id = report.thread_root.parse().unwrap();
    let thread = app
        .state
        .tweets
        .thread(None, root, page(100))
        .await
        .unwrap();
    assert_eq!(thread.replies.len(), 30);
    assert_eq!(thread.tweet.replies, 30);
    assert!(thread
        .replies
        .windows(2)
        .all(|w| w[0].tweet.id < w[1].tweet.id));
    let tip: Id = report.chain_tip.parse().unwrap();
    let chain = app.state.tweets.thread(None, tip, page(100)).await.unwrap();
    assert_eq!(chain.ancestors.len(), 30);

    // A second run adds tweets, never the same follows again.
    let again = fill::fill(
        &app.state,
        &Fill {
            thread: 0,
            ..social
        },
    )
    .await
    .unwrap();
    assert_eq!(again.follows, 0);
    let counts = graph.follow_counts(bench_0.id).await.unwrap();
    assert_eq!((counts.following, counts.followers), (2, 2));
    app.stop().await;
}

#[tokio::test]
async fn a_bulk_insert_is_all_or_none() {
    let app = fresh().await;
    let report = fill_tweets(&app, 1, 1).await;
    let existing = app
        .store
        .tweets
        .page(None, &[], page(1))
        .await
        .unwrap()
        .remove(0)
        .tweet;
    assert_eq!(existing.id.to_string(), report.deep_max_id);
    let fresh = |author| Tweet::new(author, TweetBody::parse("hello").unwrap());
    // The third row repeats an existing id: nothing of the batch stays.
    let batch = vec![
        fresh(existing.author_id),
        fresh(existing.author_id),
        existing.clone(),
    ];
    assert!(app.store.tweets.insert_many(batch).await.is_err());
    // An unknown author is refused too (foreign key), as by `insert`.
    assert!(app
        .store
        .tweets
        .insert_many(vec![fresh(Id::generate())])
        .await
        .is_err());
    let rows: i64 = app
        .sqlite()
        .unwrap()
        .with_reader(|c| c.query_row("SELECT count(*) FROM tweets", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(rows, 1);
    app.stop().await;
}

/// The newest page is kept between reads (`NewestTweets`); every write of
/// the process must show in the next read, as it would without it.
#[tokio::test]
async fn the_newest_page_shows_every_write_at_once() {
    let app = fresh().await;
    let tweets = &app.state.tweets;
    fill_tweets(&app, 50, 2).await;
    let newest = || async {
        tweets
            .timeline(None, None, page(20))
            .await
            .unwrap()
            .to_vec()
    };
    let before = newest().await;
    assert_eq!(newest().await, before, "a second read, from the cache");
    let author = app
        .store
        .users
        .by_username(&before[0].author)
        .await
        .unwrap()
        .unwrap();
    let me = SignedIn {
        user: author.clone(),
        session: TokenHash::of("not a real session"),
    };

    let posted = tweets
        .post(
            &me,
            &NewTweet {
                body: "fresh".into(),
                tweetedby: None,
                in_reply_to: None,
            },
        )
        .await
        .unwrap();
    let after_post = newest().await;
    assert_eq!(after_post[0], posted);
    assert_eq!(after_post.len(), 20);

    tweets.delete(&me, posted.tweet.id).await.unwrap();
    assert_eq!(newest().await, before);

    // A deleted user's tweets go with them, from the page too.
    app.state
        .accounts
        .delete(&me, server::services::Named::Id(author.id), None)
        .await
        .unwrap();
    let after_delete = newest().await;
    assert_eq!(after_delete.len(), 20);
    assert!(after_delete.iter().all(|t| t.tweet.author_id != author.id));

    // Other pages and one author's page are not kept: same as the store says.
    let older = Page {
        max_id: Some(after_delete[5].tweet.id),
        ..page(3)
    };
    let other = tweets.timeline(None, None, older).await.unwrap();
    assert_eq!(other.to_vec(), after_delete[6..9].to_vec());
    let someone = Username::parse("bench_0").unwrap();
    assert!(tweets
        .timeline(None, Some((&someone, true)), page(5))
        .await
        .is_ok());
    app.stop().await;
}
