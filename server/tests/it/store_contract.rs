//! One contract for every store port, run against SQLite always and
//! against MongoDB when `MONGODB_URI` is set. Each case is a plain async fn
//! over a `Store`.

use server::{
    domain::{Email, Id, Timestamp, Tweet, TweetBody, User, Username, Version},
    seed,
    store::{
        Ancestor, Append, AuthoredTweet, ByAuthor, Conflict, Limit, NewSession, Page, Reaction,
        Reactions, Store, StoreError, TokenHash,
    },
};

use crate::helpers::{
    events::{
        append, at, bio_written, deleted, email_changed, logged_in, password_changed, register,
        registered, renamed,
    },
    Backend,
};

fn page(limit: i64) -> Page {
    Page::first(Limit::new(limit).unwrap())
}

fn older_than(id: Id, limit: i64) -> Page {
    Page {
        max_id: Some(id),
        ..page(limit)
    }
}

#[track_caller]
fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Conflict {
    match result {
        Err(StoreError::Conflict(conflict)) => conflict,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn new_session(token: &str, lifetime_s: i64) -> NewSession {
    let now = Timestamp::now();
    NewSession {
        token_hash: TokenHash::of(token),
        created_at: now,
        expires_at: now.plus_seconds(lifetime_s),
    }
}

/// Appends a login for `user` that opens the session of `token`.
async fn log_in(store: &Store, user: &User, token: &str) -> Result<Option<User>, StoreError> {
    store
        .users
        .append(Append {
            open_session: Some(new_session(token, 3600)),
            ..Append::new(user.id, user.version, vec![logged_in()])
        })
        .await
}

async fn resolves(store: &Store, token: &str) -> Option<Id> {
    store
        .sessions
        .resolve(&TokenHash::of(token), Timestamp::now())
        .await
        .unwrap()
        .map(|(session, user)| {
            assert_eq!(session.user_id, user.id);
            user.id
        })
}

// ---- User streams -----------------------------------------------------------

async fn appends_number_versions_from_one_and_the_history_keeps_them_in_order(store: &Store) {
    let id = Id::generate();
    let user = append(
        store,
        id,
        0,
        vec![
            registered(id, "ada", "ada@example.com"),
            renamed("Countess"),
        ],
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(user.version, Version::new(2));
    let user = append(store, id, 2, vec![password_changed("x")])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.version, Version::new(3));

    let history = store.users.history(id).await.unwrap();
    let versions: Vec<u64> = history.iter().map(|e| e.version.get()).collect();
    assert_eq!(versions, [1, 2, 3]);
    assert!(history.iter().all(|e| e.stream_id == id));
    assert_eq!(history[1].event, renamed("Countess"));
    assert!(
        history.windows(2).all(|w| w[0].id < w[1].id),
        "ids in order"
    );
}

async fn a_stale_expected_version_is_a_conflict_and_writes_nothing(store: &Store) {
    let ada = register(store, "ada").await;
    let stale = append(store, ada.id, 0, vec![renamed("Again")]).await;
    assert_eq!(conflict(stale), Conflict::StaleVersion);
    // Ahead of the stream is just as wrong as behind it.
    let ahead = append(store, ada.id, 5, vec![renamed("Later")]).await;
    assert_eq!(conflict(ahead), Conflict::StaleVersion);
    assert_eq!(store.users.history(ada.id).await.unwrap().len(), 1);
    assert_eq!(store.users.by_id(ada.id).await.unwrap(), Some(ada));
}

async fn an_append_without_events_writes_nothing(store: &Store) {
    let ada = register(store, "ada").await;
    let unchanged = append(store, ada.id, 1, vec![]).await.unwrap();
    assert_eq!(unchanged, Some(ada.clone()));
    assert_eq!(store.users.history(ada.id).await.unwrap().len(), 1);
}

async fn an_unknown_stream_has_no_history(store: &Store) {
    assert!(store
        .users
        .history(Id::generate())
        .await
        .unwrap()
        .is_empty());
}

async fn an_append_opens_and_closes_sessions_in_its_own_transaction(store: &Store) {
    let id = Id::generate();
    let ada = store
        .users
        .append(Append {
            open_session: Some(new_session("from sign-up", 3600)),
            ..Append::new(
                id,
                Version::NONE,
                vec![registered(id, "ada", "ada@example.com")],
            )
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resolves(store, "from sign-up").await, Some(id));
    // A login replaces the session the browser came with.
    let ada = store
        .users
        .append(Append {
            open_session: Some(new_session("from login", 3600)),
            close_session: Some(TokenHash::of("from sign-up")),
            ..Append::new(id, ada.version, vec![logged_in()])
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resolves(store, "from sign-up").await, None);
    assert_eq!(resolves(store, "from login").await, Some(id));
    // A login decided on an old row opens nothing.
    let stale = User {
        version: Version::NONE,
        ..ada.clone()
    };
    assert_eq!(
        conflict(log_in(store, &stale, "stale").await),
        Conflict::StaleVersion
    );
    assert_eq!(resolves(store, "stale").await, None);
    assert_eq!(store.users.by_id(id).await.unwrap(), Some(ada));
}

// ---- Users read model -------------------------------------------------------

async fn registering_projects_a_user_found_by_id_username_and_email_ignoring_case(store: &Store) {
    let ada = register(store, "Ada_L").await;
    let user = store.users.by_id(ada.id).await.unwrap().expect("projected");
    assert_eq!(user.username.as_str(), "Ada_L");
    assert_eq!(user.email.as_str(), "Ada_L@example.com");
    assert_eq!(user.version, Version::new(1));
    let by_name = store
        .users
        .by_username(&Username::parse("ada_l").unwrap())
        .await
        .unwrap();
    assert_eq!(by_name.as_ref().map(|u| u.id), Some(ada.id));
    let by_email = store
        .users
        .by_email(&Email::parse(" ADA_L@EXAMPLE.COM ").unwrap())
        .await
        .unwrap();
    assert_eq!(by_email.map(|u| u.id), Some(ada.id));
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
    let id = Id::generate();
    let taken = append(
        store,
        id,
        0,
        vec![registered(id, "ADA", "other@example.com")],
    )
    .await;
    assert_eq!(conflict(taken), Conflict::UsernameTaken);
    assert!(store.users.history(id).await.unwrap().is_empty());
    assert!(store.users.by_id(id).await.unwrap().is_none());
}

async fn a_taken_email_is_a_conflict_at_registration_and_at_update(store: &Store) {
    register(store, "ada").await;
    let bob = register(store, "bob").await;
    let id = Id::generate();
    let taken = append(
        store,
        id,
        0,
        vec![registered(id, "carol", "ADA@example.com")],
    )
    .await;
    assert_eq!(conflict(taken), Conflict::EmailTaken);

    let taken = append(store, bob.id, 1, vec![email_changed("ada@EXAMPLE.com")]).await;
    assert_eq!(conflict(taken), Conflict::EmailTaken);
    assert_eq!(
        store.users.history(bob.id).await.unwrap().len(),
        1,
        "nothing appended"
    );
    assert_eq!(store.users.by_id(bob.id).await.unwrap(), Some(bob));
}

async fn profile_and_password_changes_update_the_row_and_its_versions(store: &Store) {
    let ada = register(store, "ada").await;
    append(
        store,
        ada.id,
        1,
        vec![
            renamed("Countess"),
            email_changed("lovelace@example.org"),
            bio_written("Poetical science"),
        ],
    )
    .await
    .unwrap();
    let user = append(store, ada.id, 4, vec![password_changed("new")])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.users.by_id(ada.id).await.unwrap(), Some(user.clone()));
    assert_eq!(user.name.as_str(), "Countess");
    assert_eq!(user.email.as_str(), "lovelace@example.org");
    assert_eq!(user.bio.as_str(), "Poetical science");
    assert_eq!(
        user.password_hash.expose_for_storage(),
        "$2b$04$fakehashnew"
    );
    assert_eq!(user.version, Version::new(5));
    assert_eq!(user.revision, Version::new(5));
    assert_eq!(user.credentials, Version::new(5));
    assert_eq!(user.created_at, at(0));
    assert_eq!(user.updated_at, at(3));
    // A login moves only the stream on: nothing shown changed.
    let logged_in = log_in(store, &user, "t").await.unwrap().unwrap();
    assert_eq!(logged_in.version, Version::new(6));
    assert_eq!(logged_in.revision, Version::new(5));
    // The old email is free again.
    let old = Email::parse("ada@example.com").unwrap();
    assert!(store.users.by_email(&old).await.unwrap().is_none());
    let carol = Id::generate();
    append(
        store,
        carol,
        0,
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
    let tweet = new_tweet(ada.id, "bye");
    store.tweets.insert(&tweet).await.unwrap();
    let bobs = new_tweet(bob.id, "still here");
    store.tweets.insert(&bobs).await.unwrap();
    let ada = log_in(store, &ada, "ada's token").await.unwrap().unwrap();

    let gone = append(store, ada.id, ada.version.get(), vec![deleted()])
        .await
        .unwrap();

    assert_eq!(gone, None);
    assert!(store.users.by_id(ada.id).await.unwrap().is_none());
    assert!(store.tweets.get(tweet.id).await.unwrap().is_none());
    assert_eq!(resolves(store, "ada's token").await, None);
    assert_eq!(
        store.tweets.get(bobs.id).await.unwrap().map(|t| t.tweet),
        Some(bobs)
    );
    assert_eq!(
        store.users.history(ada.id).await.unwrap().len(),
        3,
        "the history stays"
    );
    let again = Id::generate();
    append(
        store,
        again,
        0,
        vec![registered(again, "ada", "ada@example.com")],
    )
    .await
    .expect("a deleted user's username and email are free");
}

async fn users_list_newest_first_with_cursors(store: &Store) {
    let mut ids = Vec::new();
    for name in ["ann", "ben", "cat", "dan", "eve"] {
        ids.push(register(store, name).await.id);
    }
    let ids_of = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let first = ids_of(store.users.list(page(2)).await.unwrap());
    assert_eq!(first, [ids[4], ids[3]]);
    let next = ids_of(store.users.list(older_than(first[1], 2)).await.unwrap());
    assert_eq!(next, [ids[2], ids[1]]);
    let newer = ids_of(
        store
            .users
            .list(Page {
                since_id: Some(ids[2]),
                ..page(10)
            })
            .await
            .unwrap(),
    );
    assert_eq!(newer, [ids[4], ids[3]]);
    assert_eq!(store.users.list(page(100)).await.unwrap().len(), 5);
}

// ---- Tweets -----------------------------------------------------------------

/// Every tweet of `author`'s, replies too.
fn all_of(author: Id) -> Option<ByAuthor> {
    Some(ByAuthor {
        id: author,
        replies: true,
    })
}

fn new_tweet(author: Id, body: &str) -> Tweet {
    Tweet::new(author, TweetBody::parse(body).unwrap())
}

async fn tweets_insert_get_with_their_author_and_only_their_author_deletes_them(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let tweet = new_tweet(ada.id, "Hello 👋🏽\nworld");
    store.tweets.insert(&tweet).await.unwrap();
    assert_eq!(
        store.tweets.get(tweet.id).await.unwrap(),
        Some(AuthoredTweet {
            tweet: tweet.clone(),
            author: ada.username.clone(),
            likes: 0,
            replies: 0,
            reposts: 0,
            repost: None,
        })
    );
    assert!(
        !store.tweets.delete(tweet.id, bob.id).await.unwrap(),
        "not bob's"
    );
    assert!(store.tweets.get(tweet.id).await.unwrap().is_some());
    assert!(store.tweets.delete(tweet.id, ada.id).await.unwrap());
    assert!(store.tweets.get(tweet.id).await.unwrap().is_none());
    assert!(
        !store.tweets.delete(tweet.id, ada.id).await.unwrap(),
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
    let tweet = new_tweet(ada.id, "once");
    store.tweets.insert(&tweet).await.unwrap();
    assert_eq!(
        conflict(store.tweets.insert(&tweet).await),
        Conflict::DuplicateId
    );
    // A bulk insert is all or none.
    let batch = vec![new_tweet(ada.id, "fine"), orphan];
    assert!(store.tweets.insert_many(batch.clone()).await.is_err());
    assert!(store.tweets.get(batch[0].id).await.unwrap().is_none());
}

async fn tweets_page_newest_first_with_max_id_since_id_and_by_author(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let mut tweets = Vec::new();
    for i in 0..6 {
        let author = if i % 2 == 0 { &ada } else { &bob };
        let tweet = new_tweet(author.id, &format!("tweet {i}"));
        store.tweets.insert(&tweet).await.unwrap();
        tweets.push(tweet.id);
    }
    let ids = |list: Vec<AuthoredTweet>| list.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let everyone = store.tweets.page(None, &[], page(3)).await.unwrap();
    assert_eq!(everyone[0].author, bob.username);
    assert_eq!(ids(everyone), [tweets[5], tweets[4], tweets[3]]);
    assert_eq!(
        ids(store
            .tweets
            .page(None, &[], older_than(tweets[3], 10))
            .await
            .unwrap()),
        [tweets[2], tweets[1], tweets[0]]
    );
    let between = Page {
        max_id: Some(tweets[5]),
        since_id: Some(tweets[1]),
        ..page(10)
    };
    assert_eq!(
        ids(store.tweets.page(None, &[], between).await.unwrap()),
        [tweets[4], tweets[3], tweets[2]]
    );
    assert_eq!(
        ids(store
            .tweets
            .page(all_of(ada.id), &[], page(10))
            .await
            .unwrap()),
        [tweets[4], tweets[2], tweets[0]]
    );
    assert_eq!(
        ids(store
            .tweets
            .page(all_of(bob.id), &[], older_than(tweets[5], 1))
            .await
            .unwrap()),
        [tweets[3]]
    );
}

// ---- Sessions ---------------------------------------------------------------

async fn sessions_resolve_with_their_user_until_they_expire_or_end(store: &Store) {
    let ada = register(store, "ada").await;
    let ada = log_in(store, &ada, "token-1").await.unwrap().unwrap();
    let hash = TokenHash::of("token-1");
    let now = Timestamp::now();
    let (session, user) = store.sessions.resolve(&hash, now).await.unwrap().unwrap();
    assert_eq!(user, ada);
    assert_eq!(session.credentials, ada.credentials);
    assert!(store
        .sessions
        .resolve(&TokenHash::of("token-2"), now)
        .await
        .unwrap()
        .is_none());
    let later = now.plus_seconds(7200);
    assert!(store
        .sessions
        .resolve(&hash, later)
        .await
        .unwrap()
        .is_none());
    store.sessions.delete(&hash).await.unwrap();
    assert!(store.sessions.resolve(&hash, now).await.unwrap().is_none());
}

async fn a_password_change_voids_the_sessions_opened_before_it(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let ada = log_in(store, &ada, "ada-phone").await.unwrap().unwrap();
    let ada = log_in(store, &ada, "ada-laptop").await.unwrap().unwrap();
    log_in(store, &bob, "bob").await.unwrap();
    // The change opens the session of the browser that made it.
    store
        .users
        .append(Append {
            open_session: Some(new_session("ada-here", 3600)),
            close_session: Some(TokenHash::of("ada-laptop")),
            ..Append::new(ada.id, ada.version, vec![password_changed("new")])
        })
        .await
        .unwrap();
    assert_eq!(resolves(store, "ada-phone").await, None);
    assert_eq!(resolves(store, "ada-laptop").await, None);
    assert_eq!(resolves(store, "ada-here").await, Some(ada.id));
    assert_eq!(resolves(store, "bob").await, Some(bob.id), "others' stay");
}

async fn expired_sessions_are_swept(store: &Store) {
    let bob = register(store, "bob").await;
    let bob = log_in(store, &bob, "bob").await.unwrap().unwrap();
    store
        .users
        .append(Append {
            open_session: Some(new_session("bob-old", -10)),
            ..Append::new(bob.id, bob.version, vec![logged_in()])
        })
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
    assert_eq!(resolves(store, "bob").await, Some(bob.id));
}

// ---- Releases and first-run data --------------------------------------------

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
    assert!(
        store.users.list(page(1)).await.unwrap().is_empty(),
        "no default account"
    );
}

// ---- Rebuild ----------------------------------------------------------------

async fn rebuilding_gives_back_exactly_the_live_users(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let carol = register(store, "carol").await;
    append(store, ada.id, 1, vec![renamed("Countess")])
        .await
        .unwrap();
    append(store, bob.id, 1, vec![deleted()]).await.unwrap();
    let carol = append(store, carol.id, 1, vec![email_changed("c@example.org")])
        .await
        .unwrap()
        .unwrap();
    log_in(store, &carol, "carol").await.unwrap();
    let tweet = new_tweet(ada.id, "survives the rebuild");
    store.tweets.insert(&tweet).await.unwrap();
    let live = all_users(store).await;

    let report = store.users.rebuild().await.unwrap();

    assert_eq!(report.events, 7);
    assert_eq!(report.users, 2);
    assert_eq!(all_users(store).await, live);
    assert!(store.tweets.get(tweet.id).await.unwrap().is_some());
    assert_eq!(
        resolves(store, "carol").await,
        Some(carol.id),
        "sessions stay"
    );
}

pub async fn all_users(store: &Store) -> Vec<User> {
    let mut users = Vec::new();
    let mut cursor = None;
    loop {
        let batch = store
            .users
            .list(Page {
                max_id: cursor,
                ..page(100)
            })
            .await
            .unwrap();
        let Some(last) = batch.last() else { break };
        cursor = Some(last.id);
        users.extend(batch);
    }
    users
}

/// The outbox: every committed change waits there, in commit order, until
/// marked published; a change that did not commit is never in it.
async fn the_outbox_holds_every_committed_change_in_order_until_published(store: &Store) {
    use server::store::{Backlog, TweetChange};

    let ada = register(store, "ada").await;
    append(store, ada.id, 1, vec![renamed("Ada L.")])
        .await
        .unwrap();
    // Refused: a stale version, a taken name, an orphan tweet.
    assert!(append(store, ada.id, 1, vec![renamed("stale")])
        .await
        .is_err());
    let taken = Id::generate();
    assert!(append(
        store,
        taken,
        0,
        vec![registered(taken, "ADA", "other@example.com")]
    )
    .await
    .is_err());
    assert!(store
        .tweets
        .insert(&new_tweet(Id::generate(), "orphan"))
        .await
        .is_err());
    let first = new_tweet(ada.id, "first");
    let second = new_tweet(ada.id, "second");
    store.tweets.insert(&first).await.unwrap();
    store
        .tweets
        .insert_many(vec![second.clone()])
        .await
        .unwrap();
    assert!(store.tweets.delete(first.id, ada.id).await.unwrap());
    assert!(
        !store.tweets.delete(first.id, ada.id).await.unwrap(),
        "nothing to record"
    );
    assert_eq!(
        store.outbox.backlog().await.unwrap(),
        Backlog {
            user_events: 2,
            tweet_events: 3
        }
    );

    let users = store.outbox.pending_user_events(10).await.unwrap();
    let kinds: Vec<(Id, u64, &str)> = users
        .iter()
        .map(|p| {
            (
                p.event.stream_id,
                p.event.version.get(),
                p.event.event.kind(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (ada.id, 1, "user_registered"),
            (ada.id, 2, "profile_updated")
        ]
    );
    let tweets = store.outbox.pending_tweet_events(10).await.unwrap();
    let changes: Vec<(Id, bool)> = tweets
        .iter()
        .map(|p| {
            (
                p.event.tweet_id,
                matches!(p.event.change, TweetChange::Posted { .. }),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [(first.id, true), (second.id, true), (first.id, false)]
    );
    assert!(tweets.iter().all(|p| p.event.author_id == ada.id));

    // Marked in two steps (a relay's batches): what is marked is gone, the
    // rest stays in order, and a batch limit is kept.
    store
        .outbox
        .user_events_published(&[users[0].mark])
        .await
        .unwrap();
    let left = store.outbox.pending_user_events(10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].event.version.get(), 2);
    assert_eq!(store.outbox.pending_tweet_events(2).await.unwrap().len(), 2);
    store
        .outbox
        .user_events_published(&[left[0].mark])
        .await
        .unwrap();
    let marks: Vec<i64> = tweets.iter().map(|p| p.mark).collect();
    store.outbox.tweet_events_published(&marks).await.unwrap();
    assert_eq!(store.outbox.backlog().await.unwrap(), Backlog::default());
    assert!(store
        .outbox
        .pending_user_events(10)
        .await
        .unwrap()
        .is_empty());

    // A later change comes after everything published before.
    append(store, ada.id, 2, vec![logged_in()]).await.unwrap();
    let next = store.outbox.pending_user_events(10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].event.version.get(), 3);
}

fn follow_event(user: Id) -> server::domain::user::UserEvent {
    server::domain::user::UserEvent::Followed(server::domain::user::Followed { user, at: at(6) })
}

fn unfollow_event(user: Id) -> server::domain::user::UserEvent {
    server::domain::user::UserEvent::Unfollowed(server::domain::user::Unfollowed {
        user,
        at: at(7),
    })
}

fn user_ids(users: Vec<User>) -> Vec<Id> {
    users.into_iter().map(|u| u.id).collect()
}

/// Follows are the followers' events, projected into the follow graph in
/// the same append: listed both ways, newest user first, counted, undone
/// by an unfollow, refused for a user that does not exist, gone with
/// either user, and rebuilt from the events.
async fn follows_are_projected_listed_counted_and_rebuilt(store: &Store) {
    use server::store::FollowCounts;

    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cy = register(store, "cyd").await;
    let dee = register(store, "dee").await;
    append(
        store,
        ada.id,
        1,
        vec![follow_event(bob.id), follow_event(cy.id)],
    )
    .await
    .unwrap();
    append(store, bob.id, 1, vec![follow_event(cy.id)])
        .await
        .unwrap();
    append(store, dee.id, 1, vec![follow_event(cy.id)])
        .await
        .unwrap();
    assert!(store.follows.follows(ada.id, bob.id).await.unwrap());
    assert!(
        !store.follows.follows(bob.id, ada.id).await.unwrap(),
        "one way"
    );
    assert_eq!(
        user_ids(store.follows.following(ada.id, page(10)).await.unwrap()),
        [cy.id, bob.id]
    );
    assert_eq!(
        user_ids(store.follows.followers(cy.id, page(10)).await.unwrap()),
        [dee.id, bob.id, ada.id]
    );
    assert_eq!(
        user_ids(
            store
                .follows
                .followers(cy.id, older_than(dee.id, 1))
                .await
                .unwrap()
        ),
        [bob.id],
        "paged by user id"
    );
    assert_eq!(
        store.follows.follow_counts(cy.id).await.unwrap(),
        FollowCounts {
            following: 0,
            followers: 3
        }
    );

    // A follow of nobody writes nothing, not even the event.
    let ghost = Id::generate();
    assert!(matches!(
        append(store, bob.id, 2, vec![follow_event(ghost)]).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.users.history(bob.id).await.unwrap().len(), 2);

    append(store, ada.id, 3, vec![unfollow_event(bob.id)])
        .await
        .unwrap();
    assert!(!store.follows.follows(ada.id, bob.id).await.unwrap());
    // Dee's deletion takes her follow with her.
    append(store, dee.id, 2, vec![deleted()]).await.unwrap();
    let expected = FollowCounts {
        following: 0,
        followers: 2,
    };
    assert_eq!(store.follows.follow_counts(cy.id).await.unwrap(), expected);

    store.users.rebuild().await.unwrap();
    assert_eq!(store.follows.follow_counts(cy.id).await.unwrap(), expected);
    assert_eq!(
        user_ids(store.follows.following(ada.id, page(10)).await.unwrap()),
        [cy.id]
    );
    assert!(!store.follows.follows(ada.id, bob.id).await.unwrap());
}

async fn the_home_timeline_is_yours_and_your_follows_newest_first(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    let mut posted = Vec::new();
    for author in [&bob, &cyd, &ada, &bob] {
        let tweet = new_tweet(author.id, "hi");
        store.tweets.insert(&tweet).await.unwrap();
        posted.push(tweet.id);
    }
    let home = |page| async move {
        store
            .follows
            .home_timeline(ada.id, &[], page)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.tweet.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(home(page(10)).await, [posted[2]]);
    append(store, ada.id, 1, vec![follow_event(bob.id)])
        .await
        .unwrap();
    assert_eq!(home(page(10)).await, [posted[3], posted[2], posted[0]]);
    assert_eq!(home(older_than(posted[2], 10)).await, [posted[0]]);
    assert_eq!(home(page(1)).await, [posted[3]]);
}

async fn a_block_ends_follows_both_ways_refuses_new_ones_and_is_rebuilt(store: &Store) {
    use server::domain::user::{Blocked, UserEvent};

    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    append(store, ada.id, 1, vec![follow_event(bob.id)])
        .await
        .unwrap();
    append(
        store,
        bob.id,
        1,
        vec![follow_event(ada.id), follow_event(cyd.id)],
    )
    .await
    .unwrap();
    let block = UserEvent::Blocked(Blocked {
        user: bob.id,
        at: at(8),
    });
    append(store, ada.id, 2, vec![block]).await.unwrap();
    assert!(store.follows.blocks(ada.id, bob.id).await.unwrap());
    assert!(
        !store.follows.blocks(bob.id, ada.id).await.unwrap(),
        "one way"
    );
    assert!(!store.follows.follows(ada.id, bob.id).await.unwrap());
    assert!(!store.follows.follows(bob.id, ada.id).await.unwrap());
    assert!(
        store.follows.follows(bob.id, cyd.id).await.unwrap(),
        "others stay"
    );
    // The store refuses a follow of a blocker even when asked directly.
    assert!(matches!(
        append(store, bob.id, 3, vec![follow_event(ada.id)]).await,
        Err(StoreError::Conflict(Conflict::Blocked))
    ));
    store.users.rebuild().await.unwrap();
    assert!(store.follows.blocks(ada.id, bob.id).await.unwrap());
    assert!(!store.follows.follows(bob.id, ada.id).await.unwrap());
    assert!(store.follows.follows(bob.id, cyd.id).await.unwrap());
    // Bob's deletion takes the block with him.
    append(store, bob.id, 3, vec![deleted()]).await.unwrap();
    assert!(!store.follows.blocks(ada.id, bob.id).await.unwrap());
}

async fn a_readers_blocks_either_way_hide_those_authors_from_their_pages(store: &Store) {
    use server::domain::user::{Blocked, UserEvent};

    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    let dee = register(store, "dee").await;
    let mut posted = Vec::new();
    for author in [&bob, &cyd, &dee, &ada] {
        let tweet = new_tweet(author.id, "hi");
        store.tweets.insert(&tweet).await.unwrap();
        posted.push(tweet.id);
    }
    let block = |user| UserEvent::Blocked(Blocked { user, at: at(8) });
    assert!(store.follows.hidden_from(ada.id).await.unwrap().is_empty());
    // Ada blocks Bob; Cyd blocks Ada. Both are hidden from Ada, once each.
    append(store, ada.id, 1, vec![block(bob.id)]).await.unwrap();
    append(store, cyd.id, 1, vec![block(ada.id)]).await.unwrap();
    let mut hidden = store.follows.hidden_from(ada.id).await.unwrap();
    hidden.sort_unstable();
    let mut expected = vec![bob.id, cyd.id];
    expected.sort_unstable();
    assert_eq!(hidden, expected);
    assert_eq!(store.follows.hidden_from(bob.id).await.unwrap(), [ada.id]);
    assert!(store.follows.hidden_from(dee.id).await.unwrap().is_empty());

    let tweet_ids =
        |found: Vec<AuthoredTweet>| found.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let everyone = store.tweets.page(None, &hidden, page(10)).await.unwrap();
    assert_eq!(tweet_ids(everyone), [posted[3], posted[2]]);
    // A full page is filled from older tweets past the hidden ones.
    let one = store
        .tweets
        .page(None, &hidden, older_than(posted[3], 1))
        .await
        .unwrap();
    assert_eq!(tweet_ids(one), [posted[2]]);
    let of_bob = store
        .tweets
        .page(all_of(bob.id), &hidden, page(10))
        .await
        .unwrap();
    assert!(
        of_bob.is_empty(),
        "a hidden author's own page shows nothing"
    );
    let of_dee = store
        .tweets
        .page(all_of(dee.id), &hidden, page(10))
        .await
        .unwrap();
    assert_eq!(tweet_ids(of_dee), [posted[2]]);
}

async fn likes_are_counted_with_the_tweet_once_per_user_and_go_with_it(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    let mut posted = Vec::new();
    for author in [&ada, &ada, &bob] {
        let tweet = new_tweet(author.id, "hi");
        store.tweets.insert(&tweet).await.unwrap();
        posted.push(tweet.id);
    }
    let likes = |id| async move { store.tweets.get(id).await.unwrap().unwrap().likes };
    let like = |user, tweet| {
        store
            .reactions
            .react(Reaction::Like, user, tweet, Id::generate())
    };
    assert_eq!(likes(posted[0]).await, 0);
    assert!(like(bob.id, posted[0]).await.unwrap());
    assert!(!like(bob.id, posted[0]).await.unwrap(), "once");
    assert!(like(cyd.id, posted[0]).await.unwrap());
    assert!(like(bob.id, posted[1]).await.unwrap());
    assert!(like(bob.id, posted[2]).await.unwrap(), "your own");
    assert_eq!(likes(posted[0]).await, 2);
    // The count comes with every page.
    let everyone = store.tweets.page(None, &[], page(10)).await.unwrap();
    let counts: Vec<u64> = everyone.iter().map(|t| t.likes).collect();
    assert_eq!(counts, [1, 1, 2]);

    let mut liked = store
        .reactions
        .reactions_among(bob.id, &posted)
        .await
        .unwrap()
        .liked;
    liked.sort_unstable();
    assert_eq!(liked, posted);
    assert_eq!(
        store
            .reactions
            .reactions_among(cyd.id, &posted[1..])
            .await
            .unwrap(),
        Reactions::default()
    );
    let ids = |found: Vec<AuthoredTweet>| found.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let bobs = store.reactions.liked_tweets(bob.id, page(2)).await.unwrap();
    assert_eq!(ids(bobs), [posted[2], posted[1]], "newest tweet first");
    let older = store
        .reactions
        .liked_tweets(bob.id, older_than(posted[1], 10))
        .await
        .unwrap();
    assert_eq!(ids(older), [posted[0]]);

    assert!(store
        .reactions
        .unreact(Reaction::Like, bob.id, posted[0])
        .await
        .unwrap());
    assert!(!store
        .reactions
        .unreact(Reaction::Like, bob.id, posted[0])
        .await
        .unwrap());
    assert_eq!(likes(posted[0]).await, 1);
    assert!(matches!(
        like(bob.id, Id::generate()).await,
        Err(StoreError::NotFound)
    ));

    // A deleted tweet takes its likes; a deleted user takes theirs off
    // the counts, and the likes of their tweets with the tweets.
    assert!(store.tweets.delete(posted[2], bob.id).await.unwrap());
    assert_eq!(
        ids(store
            .reactions
            .liked_tweets(bob.id, page(10))
            .await
            .unwrap()),
        [posted[1]]
    );
    append(store, cyd.id, 1, vec![deleted()]).await.unwrap();
    assert_eq!(likes(posted[0]).await, 0);
    append(store, ada.id, 1, vec![deleted()]).await.unwrap();
    assert!(store
        .reactions
        .liked_tweets(bob.id, page(10))
        .await
        .unwrap()
        .is_empty());
}

async fn reposts_are_counted_reach_the_followers_home_and_go_with_their_tweet(store: &Store) {
    use app::api::NotificationKind::Repost;

    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    append(store, ada.id, 1, vec![follow_event(bob.id)])
        .await
        .unwrap();
    let cyds = new_tweet(cyd.id, "worth sharing");
    store.tweets.insert(&cyds).await.unwrap();
    let bobs = new_tweet(bob.id, "mine");
    store.tweets.insert(&bobs).await.unwrap();
    let repost = |user: Id, tweet: Id| async move {
        let id = Id::generate();
        let new = store
            .reactions
            .react(Reaction::Repost, user, tweet, id)
            .await
            .unwrap();
        (new, id)
    };
    let (new, repost_id) = repost(bob.id, cyds.id).await;
    assert!(new);
    assert!(!repost(bob.id, cyds.id).await.0, "once");
    let counts = |id| async move {
        let t = store.tweets.get(id).await.unwrap().unwrap();
        (t.reposts, t.likes)
    };
    assert_eq!(counts(cyds.id).await, (1, 0), "a repost is no like");

    let home = |hidden: Vec<Id>, page| async move {
        store
            .follows
            .home_timeline(ada.id, &hidden, page)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.tweet.id, t.repost.map(|r| (r.id, r.by)), t.reposts))
            .collect::<Vec<_>>()
    };
    let reposted = (cyds.id, Some((repost_id, bob.username.clone())), 1);
    assert_eq!(
        home(vec![], page(10)).await,
        [reposted.clone(), (bobs.id, None, 0)],
        "the repost where it was made, newer than bob's tweet"
    );
    assert_eq!(home(vec![], page(1)).await, std::slice::from_ref(&reposted));
    assert_eq!(
        home(vec![], older_than(repost_id, 10)).await,
        [(bobs.id, None, 0)],
        "the repost's id is its cursor"
    );
    assert_eq!(
        home(vec![cyd.id], page(10)).await,
        [(bobs.id, None, 0)],
        "nor reposted for who blocks its author"
    );
    let cyds_home = store
        .follows
        .home_timeline(cyd.id, &[], page(10))
        .await
        .unwrap();
    assert_eq!(
        cyds_home.len(),
        1,
        "bob's repost is not cyd's to see: she does not follow him"
    );

    let mine = store
        .reactions
        .reactions_among(bob.id, &[cyds.id, bobs.id])
        .await
        .unwrap();
    assert_eq!(
        mine,
        Reactions {
            liked: vec![],
            reposted: vec![cyds.id]
        }
    );
    let told = store
        .notifications
        .notifications(cyd.id, &[], page(10))
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!((told[0].kind, &told[0].actor), (Repost, &bob.username));

    // Undone: the count, the home entry and the notification go.
    assert!(store
        .reactions
        .unreact(Reaction::Repost, bob.id, cyds.id)
        .await
        .unwrap());
    assert!(!store
        .reactions
        .unreact(Reaction::Repost, bob.id, cyds.id)
        .await
        .unwrap());
    assert_eq!(counts(cyds.id).await, (0, 0));
    assert_eq!(home(vec![], page(10)).await, [(bobs.id, None, 0)]);
    assert_eq!(store.notifications.unread(cyd.id, &[]).await.unwrap(), 0);
    assert!(matches!(
        store
            .reactions
            .react(Reaction::Repost, bob.id, Id::generate(), Id::generate())
            .await,
        Err(StoreError::NotFound)
    ));

    // A deleted tweet takes its reposts; a deleted reposter theirs off
    // the counts.
    repost(bob.id, cyds.id).await;
    repost(ada.id, bobs.id).await;
    assert!(store.tweets.delete(cyds.id, cyd.id).await.unwrap());
    let left: Vec<Id> = home(vec![], page(10)).await.iter().map(|e| e.0).collect();
    assert_eq!(left, [bobs.id, bobs.id], "her own repost, and bob's tweet");
    assert_eq!(counts(bobs.id).await, (1, 0));
    append(store, ada.id, 2, vec![deleted()]).await.unwrap();
    assert_eq!(counts(bobs.id).await, (0, 0));
}

async fn a_tags_tweets_are_found_by_its_lowercase_hashtag_newest_first(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let mut posted = Vec::new();
    for (author, body) in [
        (&ada, "Learning #Rust today"),
        (&bob, "#rust and #wasm, #RUST again"),
        (&ada, "no tags, just C# and rust"),
        (&bob, "more #Rust"),
    ] {
        let tweet = new_tweet(author.id, body);
        store.tweets.insert(&tweet).await.unwrap();
        posted.push(tweet.id);
    }
    let ids = |found: Vec<AuthoredTweet>| found.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let rust = store.tweets.tagged("rust", &[], page(10)).await.unwrap();
    assert_eq!(ids(rust), [posted[3], posted[1], posted[0]], "each once");
    let older = store
        .tweets
        .tagged("rust", &[], older_than(posted[1], 10))
        .await
        .unwrap();
    assert_eq!(ids(older), [posted[0]]);
    assert_eq!(
        ids(store.tweets.tagged("wasm", &[], page(10)).await.unwrap()),
        [posted[1]]
    );
    assert!(store
        .tweets
        .tagged("c", &[], page(10))
        .await
        .unwrap()
        .is_empty());
    // Hidden authors' tweets are left out; a deleted tweet leaves its tags.
    let hidden = [bob.id];
    assert_eq!(
        ids(store
            .tweets
            .tagged("rust", &hidden, page(10))
            .await
            .unwrap()),
        [posted[0]]
    );
    assert!(store.tweets.delete(posted[3], bob.id).await.unwrap());
    assert_eq!(
        ids(store.tweets.tagged("rust", &[], page(1)).await.unwrap()),
        [posted[1]]
    );
    append(store, bob.id, 1, vec![deleted()]).await.unwrap();
    assert_eq!(
        ids(store.tweets.tagged("rust", &[], page(10)).await.unwrap()),
        [posted[0]]
    );
}

async fn a_tweets_mentions_are_kept_with_it(store: &Store) {
    let ada = register(store, "ada").await;
    let mut tweet = new_tweet(ada.id, "hi @Bob and @cyd");
    tweet.mentions = vec![
        Username::parse("bob").unwrap(),
        Username::parse("cyd").unwrap(),
    ];
    store.tweets.insert(&tweet).await.unwrap();
    let plain = new_tweet(ada.id, "nobody");
    store.tweets.insert(&plain).await.unwrap();
    let listed = store.tweets.page(None, &[], page(10)).await.unwrap();
    assert_eq!(listed[1].tweet, tweet);
    assert_eq!(listed[0].tweet.mentions, []);
}

async fn replies_are_counted_listed_oldest_first_and_threads_survive_deletions(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    let root = new_tweet(ada.id, "root");
    store.tweets.insert(&root).await.unwrap();
    let reply = |author: Id, parent: Id, body: &str| new_tweet(author, body).replying_to(parent);
    let middle = reply(bob.id, root.id, "middle");
    store.tweets.insert(&middle).await.unwrap();
    let mut leaves = Vec::new();
    for author in [ada.id, cyd.id, bob.id] {
        let leaf = reply(author, middle.id, "leaf");
        store.tweets.insert(&leaf).await.unwrap();
        leaves.push(leaf.id);
    }
    let got = |id| async move { store.tweets.get(id).await.unwrap().unwrap() };
    assert_eq!(got(root.id).await.replies, 1);
    assert_eq!(got(middle.id).await.replies, 3);
    assert_eq!(got(leaves[0]).await.tweet.in_reply_to, Some(middle.id));
    // A reply to nothing is refused and writes nothing.
    assert_eq!(
        conflict(
            store
                .tweets
                .insert(&reply(ada.id, Id::generate(), "?"))
                .await
        ),
        Conflict::NoParent
    );

    let ids = |found: Vec<AuthoredTweet>| found.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let replies = store
        .tweets
        .replies(middle.id, &[], page(10))
        .await
        .unwrap();
    assert_eq!(ids(replies), leaves, "oldest first");
    // A profile's first tab leaves an author's replies out.
    let adas = |replies| async move {
        let author = Some(ByAuthor {
            id: ada.id,
            replies,
        });
        ids(store.tweets.page(author, &[], page(10)).await.unwrap())
    };
    assert_eq!(adas(false).await, [root.id]);
    assert_eq!(adas(true).await, [leaves[0], root.id]);
    let after = Page {
        since_id: Some(leaves[0]),
        ..page(1)
    };
    assert_eq!(
        ids(store.tweets.replies(middle.id, &[], after).await.unwrap()),
        [leaves[1]],
        "since_id turns the page"
    );
    assert_eq!(
        ids(store
            .tweets
            .replies(middle.id, &[cyd.id], page(10))
            .await
            .unwrap()),
        [leaves[0], leaves[2]],
        "without hidden authors"
    );

    let chain = |found: Vec<Ancestor>| {
        found
            .into_iter()
            .map(|a| match a {
                Ancestor::Tweet(t) => (t.tweet.id, true),
                Ancestor::Deleted(id) => (id, false),
            })
            .collect::<Vec<_>>()
    };
    let above = store.tweets.ancestors(leaves[2], 50).await.unwrap();
    assert_eq!(chain(above), [(root.id, true), (middle.id, true)]);
    assert_eq!(
        chain(store.tweets.ancestors(leaves[2], 1).await.unwrap()),
        [(middle.id, true)],
        "the nearest, up to the limit"
    );
    assert!(store
        .tweets
        .ancestors(root.id, 50)
        .await
        .unwrap()
        .is_empty());

    // The middle one goes: its parent counts one reply less, its replies
    // stay, and their thread goes up through its tombstone.
    assert!(store.tweets.delete(middle.id, bob.id).await.unwrap());
    assert_eq!(got(root.id).await.replies, 0);
    assert_eq!(got(leaves[0]).await.tweet.in_reply_to, Some(middle.id));
    assert_eq!(
        chain(store.tweets.ancestors(leaves[0], 50).await.unwrap()),
        [(root.id, true), (middle.id, false)]
    );
    assert_eq!(
        ids(store
            .tweets
            .replies(middle.id, &[], page(10))
            .await
            .unwrap()),
        leaves
    );
    // So does a user's deletion, for their tweets in conversations.
    append(store, ada.id, 1, vec![deleted()]).await.unwrap();
    assert_eq!(
        chain(store.tweets.ancestors(leaves[1], 50).await.unwrap()),
        [(root.id, false), (middle.id, false)]
    );
    assert_eq!(
        ids(store
            .tweets
            .replies(middle.id, &[], page(10))
            .await
            .unwrap()),
        [leaves[1], leaves[2]]
    );
    let leaf = reply(cyd.id, leaves[2], "deeper");
    store.tweets.insert(&leaf).await.unwrap();
    append(store, cyd.id, 1, vec![deleted()]).await.unwrap();
    assert_eq!(
        got(leaves[2]).await.replies,
        0,
        "a deleted author's replies leave the counts"
    );
}

/// Notifications are written with what caused them: a follow, a like of
/// your tweet, a reply to it, a mention of you; never for your own doing,
/// each once; newest first, without hidden actors; read up to a mark; and
/// taken back or gone with what caused them.
async fn notifications_tell_of_follows_likes_replies_and_mentions_once(store: &Store) {
    use app::api::NotificationKind::{self, *};

    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let cyd = register(store, "cyd").await;
    append(store, bob.id, 1, vec![follow_event(ada.id)])
        .await
        .unwrap();
    let hello = new_tweet(ada.id, "hello");
    store.tweets.insert(&hello).await.unwrap();
    assert!(store
        .reactions
        .react(Reaction::Like, bob.id, hello.id, Id::generate())
        .await
        .unwrap());
    assert!(
        store
            .reactions
            .react(Reaction::Like, ada.id, hello.id, Id::generate())
            .await
            .unwrap(),
        "her own"
    );
    let mut answer = new_tweet(cyd.id, "@ada @bob hi").replying_to(hello.id);
    answer.mentions = vec![ada.username.clone(), bob.username.clone()];
    store.tweets.insert(&answer).await.unwrap();

    let told = |user: Id, hidden: Vec<Id>| async move {
        store
            .notifications
            .notifications(user, &hidden, page(10))
            .await
            .unwrap()
            .into_iter()
            .map(|n| (n.kind, n.actor, n.tweet.map(|t| t.tweet.id), n.read))
            .collect::<Vec<(NotificationKind, Username, Option<Id>, bool)>>()
    };
    let name = |user: &User| user.username.clone();
    assert_eq!(
        told(ada.id, vec![]).await,
        [
            (Reply, name(&cyd), Some(answer.id), false),
            (Like, name(&bob), Some(hello.id), false),
            (Follow, name(&bob), None, false),
        ],
        "newest first; the reply that mentions her once"
    );
    assert_eq!(
        told(bob.id, vec![]).await,
        [(Mention, name(&cyd), Some(answer.id), false)]
    );
    let unread = |user: Id, hidden: Vec<Id>| async move {
        store.notifications.unread(user, &hidden).await.unwrap()
    };
    assert_eq!(unread(ada.id, vec![]).await, 3);
    assert_eq!(unread(ada.id, vec![cyd.id]).await, 2);
    assert_eq!(told(ada.id, vec![cyd.id]).await.len(), 2);

    let listed = store
        .notifications
        .notifications(ada.id, &[], page(10))
        .await
        .unwrap();
    let like_id = listed[1].id;
    assert_eq!(
        store
            .notifications
            .mark_read(ada.id, Some(like_id))
            .await
            .unwrap(),
        2
    );
    assert_eq!(unread(ada.id, vec![]).await, 1);
    let read: Vec<bool> = told(ada.id, vec![]).await.iter().map(|n| n.3).collect();
    assert_eq!(read, [false, true, true]);
    assert_eq!(
        store.notifications.mark_read(ada.id, None).await.unwrap(),
        1
    );
    assert_eq!(unread(ada.id, vec![]).await, 0);

    // An unlike takes its notification back; liking again tells once more.
    assert!(store
        .reactions
        .unreact(Reaction::Like, bob.id, hello.id)
        .await
        .unwrap());
    assert_eq!(told(ada.id, vec![]).await.len(), 2);
    assert!(store
        .reactions
        .react(Reaction::Like, bob.id, hello.id, Id::generate())
        .await
        .unwrap());
    assert_eq!(unread(ada.id, vec![]).await, 1);
    // A deleted tweet takes the notifications about it; an unfollow its
    // follow; a deleted user theirs.
    assert!(store.tweets.delete(answer.id, cyd.id).await.unwrap());
    assert!(told(bob.id, vec![]).await.is_empty());
    append(store, bob.id, 2, vec![unfollow_event(ada.id)])
        .await
        .unwrap();
    assert_eq!(
        told(ada.id, vec![]).await,
        [(Like, name(&bob), Some(hello.id), false)]
    );
    let mut again = new_tweet(cyd.id, "@bob still here");
    again.mentions = vec![bob.username.clone()];
    store.tweets.insert(&again).await.unwrap();
    assert_eq!(unread(bob.id, vec![]).await, 1);
    append(store, cyd.id, 1, vec![deleted()]).await.unwrap();
    assert!(told(bob.id, vec![]).await.is_empty());
    append(store, bob.id, 3, vec![deleted()]).await.unwrap();
    assert!(told(ada.id, vec![]).await.is_empty());
}

/// Search: tweets with every word (any case; `#Tea` holds `tea`), newest
/// first, paged, without hidden authors, gone with their tweets; users by
/// the start of their username or name, by username.
async fn search_finds_tweets_by_every_word_and_users_by_a_prefix(store: &Store) {
    let ada = register(store, "ada").await;
    let bob = register(store, "bob").await;
    let mut posted = Vec::new();
    for (author, body) in [
        (&ada, "Green tea in the morning"),
        (&bob, "#Tea time, black TEA"),
        (&ada, "coffee only"),
        (&bob, "tea and more tea, green"),
    ] {
        let tweet = new_tweet(author.id, body);
        store.tweets.insert(&tweet).await.unwrap();
        posted.push(tweet.id);
    }
    let words = |text: &str| app::api::text::words(text);
    let ids = |found: Vec<AuthoredTweet>| found.into_iter().map(|t| t.tweet.id).collect::<Vec<_>>();
    let found = |query: &'static str, hidden: Vec<Id>, page: Page| async move {
        ids(store
            .tweets
            .search(&words(query), &hidden, page)
            .await
            .unwrap())
    };
    assert_eq!(
        found("tea", vec![], page(10)).await,
        [posted[3], posted[1], posted[0]]
    );
    assert_eq!(
        found("GREEN Tea", vec![], page(10)).await,
        [posted[3], posted[0]]
    );
    assert_eq!(
        found("tea", vec![], older_than(posted[3], 1)).await,
        [posted[1]]
    );
    assert_eq!(found("tea", vec![bob.id], page(10)).await, [posted[0]]);
    assert!(
        found("te", vec![], page(10)).await.is_empty(),
        "whole words"
    );
    assert!(found("milk", vec![], page(10)).await.is_empty());
    assert!(store.tweets.delete(posted[1], bob.id).await.unwrap());
    assert_eq!(found("black", vec![], page(10)).await, []);

    let cyd = register(store, "cyd_ada").await;
    let limit = Limit::new(10).unwrap();
    let people = |prefix: &'static str| async move {
        user_ids(store.users.search(prefix, limit).await.unwrap())
    };
    assert_eq!(people("ad").await, [ada.id]);
    assert_eq!(people("AD").await, [ada.id], "any case");
    assert_eq!(people("c").await, [cyd.id]);
    assert_eq!(people("ada").await, [ada.id], "a prefix, not a part");
    assert_eq!(people("NAME OF B").await, [bob.id], "or the display name's");
    assert!(people("%").await.is_empty(), "no wildcards");
    assert!(people("_").await.is_empty());
    let one = Limit::new(1).unwrap();
    assert_eq!(
        user_ids(store.users.search("", one).await.unwrap()).len(),
        1
    );
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        $(
            async fn $case(backend: Backend) {
                let store = crate::open_store!(backend);
                super::$case(&store.store).await;
                store.finish().await;
            }
        )*
        crate::on_both_stores!($($case),*);
    };
}

mod run {
    use super::Backend;

    contract!(
        appends_number_versions_from_one_and_the_history_keeps_them_in_order,
        a_stale_expected_version_is_a_conflict_and_writes_nothing,
        an_append_without_events_writes_nothing,
        an_unknown_stream_has_no_history,
        an_append_opens_and_closes_sessions_in_its_own_transaction,
        registering_projects_a_user_found_by_id_username_and_email_ignoring_case,
        a_taken_username_in_any_case_is_a_conflict_and_writes_nothing,
        a_taken_email_is_a_conflict_at_registration_and_at_update,
        profile_and_password_changes_update_the_row_and_its_versions,
        deleting_a_user_removes_the_row_their_tweets_and_sessions_and_frees_the_name,
        users_list_newest_first_with_cursors,
        tweets_insert_get_with_their_author_and_only_their_author_deletes_them,
        a_tweet_needs_an_existing_author_and_a_new_id,
        tweets_page_newest_first_with_max_id_since_id_and_by_author,
        sessions_resolve_with_their_user_until_they_expire_or_end,
        a_password_change_voids_the_sessions_opened_before_it,
        expired_sessions_are_swept,
        first_run_creates_the_original_api_releases_once,
        rebuilding_gives_back_exactly_the_live_users,
        the_outbox_holds_every_committed_change_in_order_until_published,
        follows_are_projected_listed_counted_and_rebuilt,
        the_home_timeline_is_yours_and_your_follows_newest_first,
        a_block_ends_follows_both_ways_refuses_new_ones_and_is_rebuilt,
        a_readers_blocks_either_way_hide_those_authors_from_their_pages,
        likes_are_counted_with_the_tweet_once_per_user_and_go_with_it,
        reposts_are_counted_reach_the_followers_home_and_go_with_their_tweet,
        a_tags_tweets_are_found_by_its_lowercase_hashtag_newest_first,
        replies_are_counted_listed_oldest_first_and_threads_survive_deletions,
        a_tweets_mentions_are_kept_with_it,
        notifications_tell_of_follows_likes_replies_and_mentions_once,
        search_finds_tweets_by_every_word_and_users_by_a_prefix,
    );
}
