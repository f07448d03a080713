//! Fresh stores for the storage tests: SQLite in a temp dir always, MongoDB
//! (a database of its own, dropped afterwards) when `MONGODB_URI` is set.
#![allow(dead_code)]

use std::io::Write;

use server::{
    domain::Username,
    domain::{
        user::{PasswordChanged, ProfileUpdated, UserDeleted, UserRegistered},
        DisplayName, Email, Id, PasswordHash, Timestamp, UserEvent,
    },
    store::{mongo::MongoStore, sqlite::SqliteStore, Store},
};

pub struct TestStore {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(SqliteStore, tempfile::TempDir),
    Mongo(MongoStore),
}

impl TestStore {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = SqliteStore::open(dir.path()).await.unwrap();
        Self {
            store: Store::from_adapter(sqlite.clone()),
            cleanup: Cleanup::Sqlite(sqlite, dir),
        }
    }

    /// `None` (after saying so on stderr, past the test harness's capture)
    /// when `MONGODB_URI` is not set.
    pub async fn mongo() -> Option<Self> {
        let Some(uri) = std::env::var("MONGODB_URI").ok().filter(|u| !u.is_empty()) else {
            let _ = writeln!(std::io::stderr(), "skipped: MONGODB_URI not set");
            return None;
        };
        let database = format!("chirp_test_{}", Id::generate());
        let mongo = MongoStore::connect(&uri, &database)
            .await
            .expect("MONGODB_URI is set but MongoDB cannot be reached");
        Some(Self {
            store: Store::from_adapter(mongo.clone()),
            cleanup: Cleanup::Mongo(mongo),
        })
    }

    pub fn sqlite_adapter(&self) -> Option<&SqliteStore> {
        match &self.cleanup {
            Cleanup::Sqlite(store, _) => Some(store),
            Cleanup::Mongo(_) => None,
        }
    }

    pub async fn finish(self) {
        if let Cleanup::Mongo(mongo) = self.cleanup {
            mongo.drop_database().await.unwrap();
        }
    }
}

/// Builds events directly, with a fixed fake hash: these tests are about
/// storage, not bcrypt.
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
        at: at(1),
    })
}

pub fn email_changed(email: &str) -> UserEvent {
    UserEvent::ProfileUpdated(ProfileUpdated {
        name: None,
        email: Some(Email::parse(email).unwrap()),
        at: at(2),
    })
}

pub fn password_changed(tag: &str) -> UserEvent {
    UserEvent::PasswordChanged(PasswordChanged {
        password_hash: PasswordHash::from_stored(format!("$2b$04$fakehash{tag}")),
        at: at(3),
    })
}

pub fn deleted() -> UserEvent {
    UserEvent::UserDeleted(UserDeleted { at: at(4) })
}
