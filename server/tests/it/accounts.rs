//! The accounts service, below HTTP, on both stores: sign-up, updates with
//! and without `If-Match`, logins, deletion, demo data; and a login that
//! races a password change.

use std::{
    net::{IpAddr, Ipv4Addr},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
};

use app::api::{FieldCode, LoginRequest, SignUp, UpdateUser};
use async_trait::async_trait;
use server::{
    config::Config,
    domain::{Email, Id, User, UserEvent, Username, Version},
    error::Error,
    services::{Named, SignedIn},
    store::{
        Append, Limit, Page, RebuildReport, RecordedEvent, Store, StoreResult, TokenHash, UserStore,
    },
    AppState,
};

use crate::helpers::Backend;

const HERE: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn state(store: &Store) -> AppState {
    AppState::new(
        &Config::for_tests(),
        leptos::prelude::LeptosOptions::builder()
            .output_name("chirp")
            .build(),
        store.clone(),
    )
}

fn signup(username: &str, email: &str, password: &str) -> SignUp {
    SignUp {
        username: username.into(),
        email: email.into(),
        name: Some("Someone".into()),
        password: password.into(),
    }
}

fn login(username: &str, password: &str) -> LoginRequest {
    LoginRequest {
        username: username.into(),
        password: password.into(),
    }
}

fn me(user: &User) -> SignedIn {
    SignedIn {
        user: user.clone(),
        session: TokenHash::of("this test's session"),
    }
}

fn rename(name: &str) -> UpdateUser {
    UpdateUser {
        name: Some(name.into()),
        ..UpdateUser::default()
    }
}

#[track_caller]
fn taken(result: Result<User, Error>) -> String {
    match result {
        Err(Error::Conflict(details)) => {
            let (field, codes) = details.into_iter().next().unwrap();
            assert_eq!(codes, [FieldCode::Taken]);
            field
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

crate::on_both_stores!(
    sign_up_returns_the_stored_user_and_refuses_taken_names_and_emails,
    profile_updates_honour_if_match,
    concurrent_updates_without_if_match_both_land,
    logins_check_the_current_password_by_username_or_email,
    a_deleted_user_is_gone_refuses_commands_and_frees_the_name,
    demo_data_is_added_only_to_an_empty_store,
    a_login_racing_a_password_change_opens_no_session,
    a_session_unused_for_too_long_ends,
);

/// Security review L-7: sessions also end after a stretch of disuse, and
/// use keeps them alive (recorded at most once an hour).
async fn a_session_unused_for_too_long_ends(backend: Backend) {
    let store = crate::open_store!(backend);
    let config = Config {
        session_idle_hours: 2,
        ..Config::for_tests()
    };
    let state = AppState::new(
        &config,
        leptos::prelude::LeptosOptions::builder()
            .output_name("chirp")
            .build(),
        store.store.clone(),
    );
    let mut ada = state
        .accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let now = server::domain::Timestamp::now();
    let hour = 3600;
    for (token, opened_ago) in [("a", 3 * hour), ("b", 90 * 60)] {
        let opened = now.plus_seconds(-opened_ago);
        let session = server::store::NewSession {
            token_hash: TokenHash::of(&token.repeat(64)),
            created_at: opened,
            expires_at: now.plus_seconds(24 * hour),
        };
        ada = store
            .store
            .users
            .append(Append {
                open_session: Some(session),
                ..Append::new(
                    ada.id,
                    ada.version,
                    vec![server::domain::UserEvent::LoggedIn(
                        server::domain::user::LoggedIn { at: opened },
                    )],
                )
            })
            .await
            .unwrap()
            .unwrap();
    }
    assert!(
        state
            .sessions
            .resolve(&"a".repeat(64))
            .await
            .unwrap()
            .is_none(),
        "idle for 3 h"
    );
    assert!(
        state
            .sessions
            .resolve(&"b".repeat(64))
            .await
            .unwrap()
            .is_some(),
        "90 min"
    );
    // That use was recorded: the session is seen now, not 90 minutes ago.
    let (session, _) = store
        .store
        .sessions
        .resolve(&TokenHash::of(&"b".repeat(64)), now)
        .await
        .unwrap()
        .unwrap();
    assert!(session.last_seen.millis() >= now.millis(), "{session:?}");
    store.finish().await;
}

async fn sign_up_returns_the_stored_user_and_refuses_taken_names_and_emails(backend: Backend) {
    let store = crate::open_store!(backend);
    let accounts = state(&store.store).accounts.clone();
    let ada = accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    assert_eq!(ada.username.as_str(), "ada");
    assert_eq!(ada.version, Version::new(1));
    let again = accounts
        .register(&signup("ADA", "other@example.com", "password one"))
        .await;
    assert_eq!(taken(again), "username");
    let again = accounts
        .register(&signup("bob", "Ada@Example.com", "password one"))
        .await;
    assert_eq!(taken(again), "email");
    store.finish().await;
}

async fn profile_updates_honour_if_match(backend: Backend) {
    let store = crate::open_store!(backend);
    let accounts = state(&store.store).accounts.clone();
    let ada = accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let (updated, rotated) = accounts
        .update(
            &me(&ada),
            ada.id,
            Some(ada.revision),
            &rename("Countess"),
            HERE,
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_str(), "Countess");
    assert_eq!(updated.revision, Version::new(2));
    assert!(rotated.is_none(), "no password change, no new session");

    let stale = accounts
        .update(&me(&ada), ada.id, Some(ada.revision), &rename("Lost"), HERE)
        .await;
    assert!(matches!(stale, Err(Error::PreconditionFailed)), "{stale:?}");
    let (unchanged, _) = accounts
        .update(&me(&ada), ada.id, None, &rename("Countess"), HERE)
        .await
        .unwrap();
    assert_eq!(unchanged.version, Version::new(2), "no change, no event");
    let others = accounts
        .update(&me(&ada), Id::generate(), None, &rename("X"), HERE)
        .await;
    assert!(matches!(others, Err(Error::Forbidden(_))));
    store.finish().await;
}

async fn concurrent_updates_without_if_match_both_land(backend: Backend) {
    let store = crate::open_store!(backend);
    let accounts = state(&store.store).accounts.clone();
    let ada = accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let email = UpdateUser {
        email: Some("new@example.com".into()),
        current_password: Some("password one".into()),
        ..UpdateUser::default()
    };
    let name = rename("New name");
    let signed_in = me(&ada);
    let (a, b) = tokio::join!(
        accounts.update(&signed_in, ada.id, None, &name, HERE),
        accounts.update(&signed_in, ada.id, None, &email, HERE)
    );
    a.unwrap();
    b.unwrap();
    let now = store.store.users.by_id(ada.id).await.unwrap().unwrap();
    assert_eq!(
        (now.name.as_str(), now.email.as_str()),
        ("New name", "new@example.com")
    );
    assert_eq!(now.version, Version::new(3));
    store.finish().await;
}

async fn logins_check_the_current_password_by_username_or_email(backend: Backend) {
    let store = crate::open_store!(backend);
    let accounts = state(&store.store).accounts.clone();
    let ada = accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    let found = |name: &'static str, password: &'static str| {
        let accounts = accounts.clone();
        async move {
            accounts
                .log_in(&login(name, password), HERE, None)
                .await
                .map(|(user, _)| user.id)
                .ok()
        }
    };
    assert_eq!(found("ada", "password one").await, Some(ada.id));
    assert_eq!(found("ADA@example.com", "password one").await, Some(ada.id));
    assert_eq!(found("ada", "password two").await, None);
    assert_eq!(found("nobody", "password one").await, None);

    let change = UpdateUser {
        password: Some("password two".into()),
        current_password: Some("password one".into()),
        ..UpdateUser::default()
    };
    let current = store.store.users.by_id(ada.id).await.unwrap().unwrap();
    let (_, rotated) = accounts
        .update(&me(&current), ada.id, None, &change, HERE)
        .await
        .unwrap();
    assert!(rotated.is_some(), "the changing session gets a new one");
    assert_eq!(found("ada", "password one").await, None);
    assert_eq!(found("ada", "password two").await, Some(ada.id));
    store.finish().await;
}

async fn a_deleted_user_is_gone_refuses_commands_and_frees_the_name(backend: Backend) {
    let store = crate::open_store!(backend);
    let accounts = state(&store.store).accounts.clone();
    let ada = accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .unwrap();
    accounts
        .delete(&me(&ada), Named::Id(ada.id), Some(ada.revision))
        .await
        .unwrap();

    assert!(store.store.users.by_id(ada.id).await.unwrap().is_none());
    let refused = accounts
        .log_in(&login("ada", "password one"), HERE, None)
        .await;
    assert!(matches!(refused, Err(Error::BadCredentials)));
    let refused = accounts
        .update(&me(&ada), ada.id, None, &rename("Back"), HERE)
        .await;
    assert!(matches!(refused, Err(Error::NotFound)), "{refused:?}");
    let refused = accounts.delete(&me(&ada), Named::Id(ada.id), None).await;
    assert!(matches!(refused, Err(Error::NotFound)));
    let not_hers = accounts
        .delete(&me(&ada), Named::Username("bob"), None)
        .await;
    assert!(matches!(not_hers, Err(Error::Forbidden(_))));

    let history = store.store.users.history(ada.id).await.unwrap();
    assert_eq!(history.len(), 2, "the history stays for the audit");
    accounts
        .register(&signup("ada", "ada@example.com", "password one"))
        .await
        .expect("the name and email are free again");
    store.finish().await;
}

async fn demo_data_is_added_only_to_an_empty_store(backend: Backend) {
    let store = crate::open_store!(backend);
    let state = state(&store.store);
    server::seed::demo(&state).await.unwrap();
    server::seed::demo(&state).await.unwrap();
    let page = Page::first(Limit::new(100).unwrap());
    assert_eq!(store.store.users.list(page).await.unwrap().len(), 3);
    assert_eq!(
        store
            .store
            .tweets
            .page(None, &[], page)
            .await
            .unwrap()
            .len(),
        4
    );
    let ada = state
        .accounts
        .log_in(&login("ada", "ada-demo-password"), HERE, None)
        .await;
    assert!(ada.is_ok(), "the documented demo password works");
    store.finish().await;
}

/// A store whose first login append finds that the password changed while
/// the login was verifying the old one: the change commits first, as it
/// would if it won the race.
struct PasswordChangedMidLogin {
    inner: Arc<dyn UserStore>,
    change: Append,
    raced: AtomicBool,
}

#[async_trait]
impl UserStore for PasswordChangedMidLogin {
    async fn append(&self, append: Append) -> StoreResult<Option<User>> {
        let login = matches!(append.events.as_slice(), [UserEvent::LoggedIn(_)]);
        if login && !self.raced.swap(true, Ordering::SeqCst) {
            let change = Append::new(
                self.change.user_id,
                self.change.expected,
                self.change.events.clone(),
            );
            self.inner.append(change).await?;
        }
        self.inner.append(append).await
    }
    async fn history(&self, id: Id) -> StoreResult<Vec<RecordedEvent>> {
        self.inner.history(id).await
    }
    async fn by_id(&self, id: Id) -> StoreResult<Option<User>> {
        self.inner.by_id(id).await
    }
    async fn by_username(&self, username: &Username) -> StoreResult<Option<User>> {
        self.inner.by_username(username).await
    }
    async fn by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        self.inner.by_email(email).await
    }
    async fn list(&self, page: Page) -> StoreResult<Vec<User>> {
        self.inner.list(page).await
    }
    async fn search(&self, prefix: &str, limit: server::store::Limit) -> StoreResult<Vec<User>> {
        self.inner.search(prefix, limit).await
    }
    async fn rebuild(&self) -> StoreResult<RebuildReport> {
        self.inner.rebuild().await
    }
}

/// Security review M-3: a login that verified the old password must not
/// yield a session once a password change has committed.
async fn a_login_racing_a_password_change_opens_no_session(backend: Backend) {
    let store = crate::open_store!(backend);
    let ada = state(&store.store)
        .accounts
        .register(&signup("ada", "ada@example.com", "old password"))
        .await
        .unwrap();
    let new_hash = server::passwords::PasswordHasher::new(
        server::passwords::BcryptCost::insecure_for_tests(4),
        1,
    )
    .hash(&server::domain::Password::parse("new password").unwrap())
    .await
    .unwrap();
    let change = server::domain::user::decide(
        Some(&ada),
        server::domain::UserCommand::Update {
            profile: server::domain::user::ProfileUpdated {
                name: None,
                email: None,
                bio: None,
                at: server::domain::Timestamp::now(),
            },
            password: Some(new_hash),
        },
    )
    .unwrap();
    let racing = Store {
        users: Arc::new(PasswordChangedMidLogin {
            inner: store.store.users.clone(),
            change: Append::new(ada.id, ada.version, change),
            raced: AtomicBool::new(false),
        }),
        ..store.store.clone()
    };
    let accounts = state(&racing).accounts.clone();
    let attempt = accounts
        .log_in(&login("ada", "old password"), HERE, None)
        .await;
    assert!(matches!(attempt, Err(Error::BadCredentials)), "{attempt:?}");
    let (after, _) = accounts
        .log_in(&login("ada", "new password"), HERE, None)
        .await
        .unwrap();
    assert_eq!(after.credentials, Version::new(2));
    store.finish().await;
}
