//! One contract for every store port, run against SQLite always and against
//! MongoDB when `MONGODB_URI` is set ("skipped: MONGODB_URI not set"
//! otherwise). Each case is a plain async fn over a `Store`; the macro at
//! the bottom runs each on both backends.

mod store_support;

use server::{
    domain::{Id, Timestamp, Tweet, TweetBody, Username, Version},
    seed,
    store::{Conflict, Limit, Page, Session, Store, StoreError, TokenHash, UserRecord},
};
use store_support::*;

fn page(limit: i64) -> Page {
    Page::first(Limit::clamped(limit))
}

fn stale(result: Result<Version, StoreError>) -> Conflict {
    match result {
        Err(StoreError::Conflict(conflict)) => conflict,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn register(store: &Store, username: &str) -> Id {
    let id = Id::generate();
    store
        .events
        .append(
            id,
            Version::NONE,
            vec![registered(id, username, &format!("{username}@example.com"))],
        )
        .await
        .unwrap();
    id
}

// ---- EventStore ----------------------------------------------------------

async fn appends_number_versions_from_one_and_load_returns_them_in_order(store: &Store) {
    let id = Id::generate();
    let version = store
        .events
        .append(
            id,
            Version::NONE,
            vec![
                registered(id, "ada", "ada@example.com"),
                renamed("Countess"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(version, Version::new(2));
    let version = store
        .events
        .append(id, version, vec![password_changed("x")])
        .await
        .unwrap();
    assert_eq!(version, Version::new(3));

    let loaded = store.events.load(id).await.unwrap();
    let versions: Vec<u64> = loaded.iter().map(|e| e.version.get()).collect();
    assert_eq!(versions, [1, 2, 3]);
    assert!(loaded.iter().all(|e| e.stream_id == id));
    assert_eq!(loaded[1].event, renamed("Countess"));
    assert!(loaded.windows(2).all(|w| w[0].position < w[1].position));
}

async fn a_stale_expected_version_is_a_conflict_and_writes_nothing(store: &Store) {
    let id = register(store, "ada").await;
    let conflict = stale(
        store
            .events
            .append(id, Version::NONE, vec![renamed("Again")])
            .await,
    );
    assert_eq!(
        conflict,
        Conflict::StaleVersion {
            expected: Version::NONE,
            actual: Version::new(1)
        }
    );
    // Ahead of the stream is just as wrong as behind it.
    let conflict = stale(
        store
            .events
            .append(id, Version::new(5), vec![renamed("Later")])
            .await,
    );
    assert!(matches!(conflict, Conflict::StaleVersion { .. }));
    assert_eq!(store.events.load(id).await.unwrap().len(), 1);
    assert_eq!(
        store.users.by_id(id).await.unwrap().unwrap().name.as_str(),
        "Name of ada"
    );
}

async fn an_empty_append_writes_nothing(store: &Store) {
    let id = register(store, "ada").await;
    assert_eq!(
        store
            .events
            .append(id, Version::new(1), vec![])
            .await
            .unwrap(),
        Version::new(1)
    );
    assert_eq!(store.events.load(id).await.unwrap().len(), 1);
}

async fn loading_an_unknown_stream_gives_no_events(store: &Store) {
    assert!(store.events.load(Id::generate()).await.unwrap().is_empty());
}

async fn read_all_pages_through_every_stream_in_commit_order(store: &Store) {
    let a = register(store, "ada").await;
    let b = register(store, "bob").await;
    store
        .events
        .append(a, Version::new(1), vec![renamed("A")])
        .await
        .unwrap();
    store
        .events
        .append(b, Version::new(1), vec![renamed("B")])
        .await
        .unwrap();

    let first = store.events.read_all(0, 3).await.unwrap();
    assert_eq!(first.len(), 3);
    let rest = store.events.read_all(first[2].position, 10).await.unwrap();
    assert_eq!(rest.len(), 1);
    let all: Vec<_> = first.into_iter().chain(rest).collect();
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));
    let order: Vec<(Id, u64)> = all.iter().map(|e| (e.stream_id, e.version.get())).collect();
    assert_eq!(order, [(a, 1), (b, 1), (a, 2), (b, 2)]);
    assert!(store
        .events
        .read_all(all[3].position, 10)
        .await
        .unwrap()
        .is_empty());
}

// ---- Users read model ----------------------------------------------------

async fn registering_projects_a_user_found_by_id_username_and_email_ignoring_case(store: &Store) {
    let id = register(store, "Ada_L").await;
    let user = store.users.by_id(id).await.unwrap().expect("projected");
    assert_eq!(user.username.as_str(), "Ada_L");
    assert_eq!(user.email.as_str(), "Ada_L@example.com");
    assert_eq!(user.version, Version::new(1));
    let by_name = store
        .users
        .by_username(&Username::parse("ada_l").unwrap())
        .await
        .unwrap();
    assert_eq!(by_name.as_ref().map(|u| u.id), Some(id));
    let by_email = store.users.by_email(" ADA_L@EXAMPLE.COM ").await.unwrap();
    assert_eq!(by_email.map(|u| u.id), Some(id));
    assert!(store
        .users
        .by_username(&Username::parse("nobody").unwrap())
        .await
        .unwrap()
        .is_none());
    assert!(store.users.by_id(Id::generate()).await.unwrap().is_none());
}

async fn a_taken_username_in_any_case_is_a_conflict_and_writes_nothing(store: &Store) {
    register(store, "ada").await;
    let before = store.events.read_all(0, 100).await.unwrap().len();
    let id = Id::generate();
    let conflict = stale(
        store
            .events
            .append(
                id,
                Version::NONE,
                vec![registered(id, "ADA", "other@example.com")],
            )
            .await,
    );
    assert_eq!(conflict, Conflict::UsernameTaken);
    assert!(store.events.load(id).await.unwrap().is_empty());
    assert_eq!(store.events.read_all(0, 100).await.unwrap().len(), before);
    assert!(store.users.by_id(id).await.unwrap().is_none());
}

async fn a_taken_email_is_a_conflict_at_registration_and_at_update(store: &Store) {
    register(store, "ada").await;
    let bob = register(store, "bob").await;
    let id = Id::generate();
    let conflict = stale(
        store
            .events
            .append(
                id,
                Version::NONE,
                vec![registered(id, "carol", "ADA@example.com")],
            )
            .await,
    );
    assert_eq!(conflict, Conflict::EmailTaken);

    let conflict = stale(
        store
            .events
            .append(bob, Version::new(1), vec![email_changed("ada@EXAMPLE.com")])
            .await,
    );
    assert_eq!(conflict, Conflict::EmailTaken);
    assert_eq!(
        store.events.load(bob).await.unwrap().len(),
        1,
        "nothing appended"
    );
    assert_eq!(
        store
            .users
            .by_id(bob)
            .await
            .unwrap()
            .unwrap()
            .email
            .as_str(),
        "bob@example.com"
    );
}

async fn profile_and_password_changes_update_the_row_and_its_version(store: &Store) {
    let id = register(store, "ada").await;
    store
        .events
        .append(
            id,
            Version::new(1),
            vec![renamed("Countess"), email_changed("lovelace@example.org")],
        )
        .await
        .unwrap();
    store
        .events
        .append(id, Version::new(3), vec![password_changed("new")])
        .await
        .unwrap();
    let user = store.users.by_id(id).await.unwrap().unwrap();
    assert_eq!(user.name.as_str(), "Countess");
    assert_eq!(user.email.as_str(), "lovelace@example.org");
    assert_eq!(
        user.password_hash.expose_for_storage(),
        "$2b$04$fakehashnew"
    );
    assert_eq!(user.version, Version::new(4));
    assert_eq!(user.created_at, at(0));
    assert_eq!(user.updated_at, at(3));
    // The old email is free again.
    assert!(store
        .users
        .by_email("ada@example.com")
        .await
        .unwrap()
        .is_none());
    let carol = Id::generate();
    store
        .events
        .append(
            carol,
            Version::NONE,
            vec![registered(carol, "carol", "ada@example.com")],
        )
        .await
        .unwrap();
}

async fn deleting_a_user_removes_the_row_their_tweets_and_sessions_and_frees_the_name(
    store: &Store,
) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let tweet = new_tweet(ada, "bye");
    store.tweets.insert(&tweet).await.unwrap();
    let bobs = new_tweet(bob, "still here");
    store.tweets.insert(&bobs).await.unwrap();
    let session = new_session(ada, "ada's token", 3600);
    store.sessions.create(&session).await.unwrap();

    store
        .events
        .append(ada, Version::new(1), vec![deleted()])
        .await
        .unwrap();

    assert!(store.users.by_id(ada).await.unwrap().is_none());
    assert!(store.tweets.get(tweet.id).await.unwrap().is_none());
    assert!(store
        .sessions
        .get(&session.token_hash, Timestamp::now())
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.tweets.get(bobs.id).await.unwrap(), Some(bobs));
    assert_eq!(
        store.events.load(ada).await.unwrap().len(),
        2,
        "the history stays"
    );
    let again = Id::generate();
    store
        .events
        .append(
            again,
            Version::NONE,
            vec![registered(again, "ada", "ada@example.com")],
        )
        .await
        .expect("a deleted user's username and email are free");
}

async fn users_list_newest_first_with_cursors(store: &Store) {
    let mut ids = Vec::new();
    for name in ["ann", "ben", "cat", "dan", "eve"] {
        ids.push(register(store, name).await);
    }
    let ids_of = |users: Vec<UserRecord>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let first = ids_of(store.users.list(page(2)).await.unwrap());
    assert_eq!(first, [ids[4], ids[3]]);
    let next = ids_of(
        store
            .users
            .list(Page::older_than(first[1], Limit::clamped(2)))
            .await
            .unwrap(),
    );
    assert_eq!(next, [ids[2], ids[1]]);
    let newer = ids_of(
        store
            .users
            .list(Page {
                max_id: None,
                since_id: Some(ids[2]),
                limit: Limit::clamped(10),
            })
            .await
            .unwrap(),
    );
    assert_eq!(newer, [ids[4], ids[3]]);
    assert_eq!(store.users.count().await.unwrap(), 5);
    let mut some = ids_of(
        store
            .users
            .by_ids(&[ids[0], ids[3], Id::generate()])
            .await
            .unwrap(),
    );
    some.sort();
    assert_eq!(some, [ids[0], ids[3]]);
}

// ---- Tweets --------------------------------------------------------------

fn new_tweet(author: Id, body: &str) -> Tweet {
    Tweet {
        id: Id::generate(),
        author_id: author,
        body: TweetBody::parse(body).unwrap(),
        created_at: Timestamp::now(),
    }
}

async fn tweets_insert_get_and_only_their_author_deletes_them(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let tweet = new_tweet(ada, "Hello 👋🏽\nworld");
    store.tweets.insert(&tweet).await.unwrap();
    assert_eq!(
        store.tweets.get(tweet.id).await.unwrap(),
        Some(tweet.clone())
    );
    assert!(
        !store.tweets.delete(tweet.id, bob).await.unwrap(),
        "not bob's"
    );
    assert!(store.tweets.get(tweet.id).await.unwrap().is_some());
    assert!(store.tweets.delete(tweet.id, ada).await.unwrap());
    assert!(store.tweets.get(tweet.id).await.unwrap().is_none());
    assert!(
        !store.tweets.delete(tweet.id, ada).await.unwrap(),
        "already gone"
    );
}

async fn a_tweet_needs_an_existing_author_and_a_new_id(store: &Store) {
    let orphan = new_tweet(Id::generate(), "who am I");
    assert!(matches!(
        store.tweets.insert(&orphan).await,
        Err(StoreError::NotFound)
    ));
    let ada = register(store, "ada").await;
    let tweet = new_tweet(ada, "once");
    store.tweets.insert(&tweet).await.unwrap();
    assert!(matches!(
        store.tweets.insert(&tweet).await,
        Err(StoreError::Conflict(Conflict::DuplicateId))
    ));
}

async fn tweets_list_newest_first_with_max_id_since_id_and_by_author(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let mut tweets = Vec::new();
    for i in 0..6 {
        let tweet = new_tweet(if i % 2 == 0 { ada } else { bob }, &format!("tweet {i}"));
        store.tweets.insert(&tweet).await.unwrap();
        tweets.push(tweet.id);
    }
    let ids = |list: Vec<Tweet>| list.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.tweets.list(page(3)).await.unwrap()),
        [tweets[5], tweets[4], tweets[3]]
    );
    assert_eq!(
        ids(store
            .tweets
            .list(Page::older_than(tweets[3], Limit::clamped(10)))
            .await
            .unwrap()),
        [tweets[2], tweets[1], tweets[0]]
    );
    let between = Page {
        max_id: Some(tweets[5]),
        since_id: Some(tweets[1]),
        limit: Limit::clamped(10),
    };
    assert_eq!(
        ids(store.tweets.list(between).await.unwrap()),
        [tweets[4], tweets[3], tweets[2]]
    );
    assert_eq!(
        ids(store.tweets.by_author(ada, page(10)).await.unwrap()),
        [tweets[4], tweets[2], tweets[0]]
    );
    assert_eq!(
        ids(store
            .tweets
            .by_author(bob, Page::older_than(tweets[5], Limit::clamped(1)))
            .await
            .unwrap()),
        [tweets[3]]
    );
}

// ---- Sessions ------------------------------------------------------------

fn new_session(user: Id, token: &str, lifetime_s: i64) -> Session {
    let now = Timestamp::now();
    Session {
        token_hash: TokenHash::of(token),
        user_id: user,
        created_at: now,
        expires_at: now.plus_seconds(lifetime_s),
    }
}

async fn sessions_are_found_by_token_hash_until_they_expire(store: &Store) {
    let ada = register(store, "ada").await;
    let session = new_session(ada, "token-1", 3600);
    store.sessions.create(&session).await.unwrap();
    let now = Timestamp::now();
    assert_eq!(
        store.sessions.get(&session.token_hash, now).await.unwrap(),
        Some(session.clone())
    );
    assert!(store
        .sessions
        .get(&TokenHash::of("token-2"), now)
        .await
        .unwrap()
        .is_none());
    let later = now.plus_seconds(7200);
    assert!(store
        .sessions
        .get(&session.token_hash, later)
        .await
        .unwrap()
        .is_none());
    store.sessions.delete(&session.token_hash).await.unwrap();
    assert!(store
        .sessions
        .get(&session.token_hash, now)
        .await
        .unwrap()
        .is_none());
}

async fn a_users_other_sessions_end_and_expired_ones_are_swept(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let keep = new_session(ada, "ada-here", 3600);
    for session in [
        keep.clone(),
        new_session(ada, "ada-phone", 3600),
        new_session(ada, "ada-laptop", 3600),
        new_session(bob, "bob", 3600),
    ] {
        store.sessions.create(&session).await.unwrap();
    }
    assert_eq!(
        store
            .sessions
            .delete_for_user(ada, Some(&keep.token_hash))
            .await
            .unwrap(),
        2
    );
    let now = Timestamp::now();
    assert!(store
        .sessions
        .get(&keep.token_hash, now)
        .await
        .unwrap()
        .is_some());
    assert!(store
        .sessions
        .get(&TokenHash::of("ada-phone"), now)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .sessions
        .get(&TokenHash::of("bob"), now)
        .await
        .unwrap()
        .is_some());
    assert_eq!(store.sessions.delete_for_user(ada, None).await.unwrap(), 1);

    store
        .sessions
        .create(&new_session(bob, "bob-old", -10))
        .await
        .unwrap();
    assert_eq!(
        store
            .sessions
            .delete_expired(Timestamp::now())
            .await
            .unwrap(),
        1
    );
    assert!(store
        .sessions
        .get(&TokenHash::of("bob"), now)
        .await
        .unwrap()
        .is_some());
}

// ---- Releases and first-run data ------------------------------------------

async fn first_run_creates_the_original_api_releases_once(store: &Store) {
    seed::releases(store).await.unwrap();
    seed::releases(store).await.unwrap();
    let releases = store.releases.list().await.unwrap();
    let summary: Vec<(&str, &str, &str)> = releases
        .iter()
        .map(|r| (r.version.as_str(), r.methods.as_str(), r.links.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("v1", "get, post, put, delete", "/api/v1/users"),
            ("v2", "get, post", "/api/v2/tweets"),
        ]
    );
    assert!(releases.iter().all(|r| !r.buildtime.is_empty()));
    assert_eq!(store.users.count().await.unwrap(), 0, "no default account");
}

// ---- Rebuild ---------------------------------------------------------------

async fn rebuilding_gives_back_exactly_the_live_users(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let carol = register(store, "carol").await;
    store
        .events
        .append(ada, Version::new(1), vec![renamed("Countess")])
        .await
        .unwrap();
    store
        .events
        .append(bob, Version::new(1), vec![deleted()])
        .await
        .unwrap();
    store
        .events
        .append(carol, Version::new(1), vec![email_changed("c@example.org")])
        .await
        .unwrap();
    let tweet = new_tweet(ada, "survives the rebuild");
    store.tweets.insert(&tweet).await.unwrap();
    let live = all_users(store).await;

    let report = store.maintenance.rebuild_read_models().await.unwrap();

    assert_eq!(report.events, 6);
    assert_eq!(report.users, 2);
    assert_eq!(all_users(store).await, live);
    assert_eq!(store.tweets.get(tweet.id).await.unwrap(), Some(tweet));
}

pub async fn all_users(store: &Store) -> Vec<UserRecord> {
    let mut users = Vec::new();
    let mut cursor = None;
    loop {
        let batch = store
            .users
            .list(Page {
                max_id: cursor,
                since_id: None,
                limit: Limit::clamped(100),
            })
            .await
            .unwrap();
        let Some(last) = batch.last() else { break };
        cursor = Some(last.id);
        users.extend(batch);
    }
    users
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let fixture = super::TestStore::sqlite().await;
                    super::$case(&fixture.store).await;
                    fixture.finish().await;
                }
            )*
        }
        mod mongodb {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(fixture) = super::TestStore::mongo().await else { return };
                    super::$case(&fixture.store).await;
                    fixture.finish().await;
                }
            )*
        }
    };
}

contract!(
    appends_number_versions_from_one_and_load_returns_them_in_order,
    a_stale_expected_version_is_a_conflict_and_writes_nothing,
    an_empty_append_writes_nothing,
    loading_an_unknown_stream_gives_no_events,
    read_all_pages_through_every_stream_in_commit_order,
    registering_projects_a_user_found_by_id_username_and_email_ignoring_case,
    a_taken_username_in_any_case_is_a_conflict_and_writes_nothing,
    a_taken_email_is_a_conflict_at_registration_and_at_update,
    profile_and_password_changes_update_the_row_and_its_version,
    deleting_a_user_removes_the_row_their_tweets_and_sessions_and_frees_the_name,
    users_list_newest_first_with_cursors,
    tweets_insert_get_and_only_their_author_deletes_them,
    a_tweet_needs_an_existing_author_and_a_new_id,
    tweets_list_newest_first_with_max_id_since_id_and_by_author,
    sessions_are_found_by_token_hash_until_they_expire,
    a_users_other_sessions_end_and_expired_ones_are_swept,
    first_run_creates_the_original_api_releases_once,
    rebuilding_gives_back_exactly_the_live_users,
);
