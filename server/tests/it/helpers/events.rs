//! Events built directly, with a fixed fake hash: the storage tests are
//! about storage, not bcrypt.

use server::{
    domain::{
        user::{LoggedIn, PasswordChanged, ProfileUpdated, UserDeleted, UserRegistered},
        Bio, DisplayName, Email, Id, PasswordHash, Timestamp, User, UserEvent, Username, Version,
    },
    store::{Append, Store, StoreResult},
};

pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(1_764_000_000_000 + ms)
}

pub fn registered(id: Id, username: &str, email: &str) -> UserEvent {
    UserEvent::UserRegistered(UserRegistered {
        user_id: id,
        username: Username::parse(username).unwrap(),
        email: Email::parse(email).unwrap(),
        name: DisplayName::parse(&format!("Name of {username}")).unwrap(),
        password_hash: PasswordHash::from_stored(format!("$2b$04$fakehashfor{username}")),
        at: at(0),
    })
}

pub fn renamed(name: &str) -> UserEvent {
    UserEvent::ProfileUpdated(ProfileUpdated {
        name: Some(DisplayName::parse(name).unwrap()),
        email: None,
        bio: None,
        at: at(1),
    })
}

pub fn bio_written(bio: &str) -> UserEvent {
    UserEvent::ProfileUpdated(ProfileUpdated {
        name: None,
        email: None,
        bio: Some(Bio::parse(bio).unwrap()),
        at: at(2),
    })
}

pub fn email_changed(email: &str) -> UserEvent {
    UserEvent::ProfileUpdated(ProfileUpdated {
        name: None,
        email: Some(Email::parse(email).unwrap()),
        bio: None,
        at: at(2),
    })
}

pub fn password_changed(tag: &str) -> UserEvent {
    UserEvent::PasswordChanged(PasswordChanged {
        password_hash: PasswordHash::from_stored(format!("$2b$04$fakehash{tag}")),
        at: at(3),
    })
}

pub fn logged_in() -> UserEvent {
    UserEvent::LoggedIn(LoggedIn { at: at(5) })
}

pub fn deleted() -> UserEvent {
    UserEvent::UserDeleted(UserDeleted { at: at(4) })
}

/// Appends `events` to `id`'s stream at `expected`, nothing else.
pub async fn append(
    store: &Store,
    id: Id,
    expected: u64,
    events: Vec<UserEvent>,
) -> StoreResult<Option<User>> {
    store
        .users
        .append(Append::new(id, Version::new(expected), events))
        .await
}

/// A registered user with a fresh id.
pub async fn register(store: &Store, username: &str) -> User {
    let id = Id::generate();
    let email = format!("{username}@example.com");
    append(store, id, 0, vec![registered(id, username, &email)])
        .await
        .unwrap()
        .expect("a registered user")
}
