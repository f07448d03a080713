//! `chirp-server fill-tweets`: the bulk path writes the same rows the API
//! does, readable through every query, all or none per batch.

use server::{
    domain::{Id, Timestamp, Tweet, TweetBody},
    fill,
    passwords::{BcryptCost, PasswordHasher},
    store::{sqlite::SqliteStore, Limit, Page, Store},
    users::Users,
};

/// A new SQLite store in a temporary directory (kept alive by the first
/// value), with the user service over it and a cheap bcrypt cost.
async fn fresh_store() -> (tempfile::TempDir, SqliteStore, Store, Users) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path()).await.unwrap();
    let store = Store::from_adapter(sqlite.clone());
    let users = Users::new(
        store.clone(),
        PasswordHasher::new(BcryptCost::insecure_for_tests(4), 2),
    );
    (dir, sqlite, store, users)
}

#[tokio::test]
async fn filled_tweets_read_back_like_posted_ones() {
    let (_dir, sqlite, store, users) = fresh_store().await;

    let report = fill::fill_tweets(&store, &users, 45_000, 3).await.unwrap();
    assert_eq!(report.tweets, 45_000);
    assert_eq!(report.users, ["bench_0", "bench_1", "bench_2"]);
    let rows: i64 = sqlite
        .with_reader(|c| c.query_row("SELECT count(*) FROM tweets", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(rows, 45_000);

    // The filler users log in like anyone (their hash is a real one).
    let bench_1 = store
        .users
        .by_username(&server::domain::Username::parse("bench_1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(users
        .authenticate(
            "bench_1",
            &server::domain::Password::parse(fill::PASSWORD).unwrap()
        )
        .await
        .is_ok());

    // Newest first, ids strictly decreasing, bodies as parsed.
    let newest = store
        .tweets
        .list(Page::first(Limit::clamped(20)))
        .await
        .unwrap();
    assert_eq!(newest.len(), 20);
    assert!(newest.windows(2).all(|w| w[0].id > w[1].id));
    assert!(newest[0].body.as_str().ends_with("#44999"));

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
    let page = Page {
        max_id: Some(deep),
        ..Page::first(Limit::clamped(20))
    };
    let deep_page = store.tweets.list(page).await.unwrap();
    assert_eq!(deep_page.len(), 20);
    assert!(deep_page.iter().all(|t| t.id < deep));

    // The timeline's one-query path answers the same page, with usernames.
    let joined = store
        .tweets
        .list_with_usernames(None, Page::first(Limit::clamped(20)))
        .await
        .unwrap()
        .expect("SQLite answers in one query");
    assert_eq!(
        joined.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
        newest
    );
    assert!(joined.iter().all(|(t, name)| *name
        == format!(
            "bench_{}",
            t.body
                .as_str()
                .rsplit('#')
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                % 3
        )));
    let joined_deep = store
        .tweets
        .list_with_usernames(Some(bench_1.id), page)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(joined_deep.len(), 20);
    assert!(joined_deep
        .iter()
        .all(|(t, name)| t.author_id == bench_1.id && t.id < deep && name == "bench_1"));

    // Per author, through the (author_id, id) index.
    let by_author = store
        .tweets
        .by_author(bench_1.id, Page::first(Limit::clamped(100)))
        .await
        .unwrap();
    assert_eq!(by_author.len(), 100);
    assert!(by_author.iter().all(|t| t.author_id == bench_1.id));

    // Running it again adds tweets for the same users.
    let again = fill::fill_tweets(&store, &users, 10, 3).await.unwrap();
    assert_eq!(again.tweets, 10);
    assert_eq!(store.users.count().await.unwrap(), 3);

    let check: String = sqlite
        .with_reader(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn a_bulk_insert_is_all_or_none() {
    let (_dir, sqlite, store, users) = fresh_store().await;
    let report = fill::fill_tweets(&store, &users, 1, 1).await.unwrap();
    let existing = store
        .tweets
        .list(Page::first(Limit::clamped(1)))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(existing.id.to_string(), report.deep_max_id);
    let fresh = |author| Tweet {
        id: Id::generate(),
        author_id: author,
        body: TweetBody::parse("hello").unwrap(),
        created_at: Timestamp::now(),
    };
    // The third row repeats an existing id: nothing of the batch stays.
    let batch = vec![
        fresh(existing.author_id),
        fresh(existing.author_id),
        existing.clone(),
    ];
    assert!(store.tweets.insert_many(batch).await.is_err());
    // An unknown author is refused too (foreign key), as by `insert`.
    assert!(store
        .tweets
        .insert_many(vec![fresh(Id::generate())])
        .await
        .is_err());
    let rows: i64 = sqlite
        .with_reader(|c| c.query_row("SELECT count(*) FROM tweets", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

/// The newest page is kept between reads (`NewestPage`); every write of the
/// process must show in the next read, as it would without the cache.
#[tokio::test]
async fn the_newest_page_shows_every_write_at_once() {
    let (_dir, _, store, users) = fresh_store().await;
    fill::fill_tweets(&store, &users, 50, 2).await.unwrap();
    let newest = || async {
        store
            .tweets
            .list_with_usernames(None, Page::first(Limit::clamped(20)))
            .await
            .unwrap()
            .unwrap()
    };
    let before = newest().await;
    assert_eq!(newest().await, before, "a second read, from the cache");
    let author = before[0].0.author_id;

    let tweet = Tweet {
        id: Id::generate(),
        author_id: author,
        body: TweetBody::parse("fresh").unwrap(),
        created_at: Timestamp::now(),
    };
    store.tweets.insert(&tweet).await.unwrap();
    let after_insert = newest().await;
    assert_eq!(after_insert[0].0, tweet);
    assert_eq!(after_insert.len(), 20);

    assert!(store.tweets.delete(tweet.id, author).await.unwrap());
    assert_eq!(newest().await, before);

    // A deleted user's tweets go with them (cascade), from the page too.
    users.delete(author, None).await.unwrap();
    let after_delete = newest().await;
    assert_eq!(after_delete.len(), 20);
    assert!(after_delete.iter().all(|(t, _)| t.author_id != author));

    // Other pages and one author's page are not cached: same as SQLite says.
    let older = Page {
        max_id: Some(after_delete[5].0.id),
        ..Page::first(Limit::clamped(3))
    };
    let page = store
        .tweets
        .list_with_usernames(None, older)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        page.iter().map(|(t, _)| t.id).collect::<Vec<_>>(),
        after_delete[6..9]
            .iter()
            .map(|(t, _)| t.id)
            .collect::<Vec<_>>()
    );
}
