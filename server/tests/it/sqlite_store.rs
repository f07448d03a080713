//! What only the SQLite adapter can show: its settings, its durability when
//! the process is killed, and that a rebuild equals the live read model
//! after any sequence of commands.

use std::{
    collections::HashSet,
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use proptest::prelude::*;
use server::{
    domain::{
        user::{self, ProfileUpdated, UserDeleted, UserRegistered},
        DisplayName, Email, Id, PasswordHash, User, UserCommand, Username, Version,
    },
    store::{
        sqlite::{schema_version, SqliteStore, BUSY_TIMEOUT_MS, FILE_NAME},
        Append, Limit, Page, Store,
    },
};

use crate::helpers::{
    events::{append, at, register, registered, renamed},
    Backend, TestStore,
};

#[tokio::test]
async fn the_database_is_created_on_first_run_with_the_documented_pragmas() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("not/there/yet");
    let store = SqliteStore::open(&dir).await.unwrap();
    assert!(dir.join(FILE_NAME).is_file());

    let pragmas =
        |conn: &rusqlite::Connection| -> rusqlite::Result<(String, i64, i64, i64, i64, i64)> {
            let get =
                |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
            Ok((
                conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                get("synchronous")?,
                get("foreign_keys")?,
                get("busy_timeout")?,
                get("user_version")?,
                get("query_only")?,
            ))
        };
    let full = 2;
    let reader = store.with_reader(pragmas).await.unwrap();
    assert_eq!(
        reader,
        (
            "wal".into(),
            full,
            1,
            BUSY_TIMEOUT_MS.into(),
            schema_version() as i64,
            1
        )
    );
    let writer = store.with_writer(pragmas).await.unwrap();
    assert_eq!(
        writer,
        (
            "wal".into(),
            full,
            1,
            BUSY_TIMEOUT_MS.into(),
            schema_version() as i64,
            0
        )
    );
}

#[tokio::test]
async fn reopening_keeps_the_data_and_does_not_migrate_twice() {
    let dir = tempfile::tempdir().unwrap();
    let id = Id::generate();
    {
        let store = Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap());
        append(
            &store,
            id,
            0,
            vec![registered(id, "ada", "ada@example.com")],
        )
        .await
        .unwrap();
    }
    let store = Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap());
    assert_eq!(
        store
            .users
            .by_id(id)
            .await
            .unwrap()
            .unwrap()
            .username
            .as_str(),
        "ada"
    );
}

// ---- Crash safety ------------------------------------------------------------

const CRASH_DIR: &str = "CHIRP_CRASH_TEST_DIR";

/// The child half of the crash test: appends until it is killed, printing
/// each append only after `append` returned, i.e. after the commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the child process of the crash test, which runs it"]
async fn crash_child_appends_until_killed() {
    let dir = std::env::var(CRASH_DIR).expect("started by the crash test");
    let store = Store::from_adapter(SqliteStore::open(dir.as_ref()).await.unwrap());
    // Eight writers at once, so batches (group commit) are being written
    // when the kill lands, not just single transactions.
    let writers = (0..8).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            for n in 0.. {
                let id = Id::generate();
                let name = format!("w{w}n{n}");
                let events = vec![
                    registered(id, &name, &format!("{name}@example.com")),
                    renamed("X"),
                ];
                let user = append(&store, id, 0, events).await.unwrap().unwrap();
                let mut out = std::io::stdout().lock();
                writeln!(out, "committed {id} {}", user.version).unwrap();
                out.flush().unwrap();
            }
        })
    });
    futures::future::join_all(writers).await;
}

#[test]
fn every_append_reported_before_a_sigkill_survives_and_the_file_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "sqlite_store::crash_child_appends_until_killed",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_DIR, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut reported = Vec::new();
    let started = Instant::now();
    while reported.len() < 2_000 && started.elapsed() < Duration::from_secs(60) {
        let Some(line) = lines.next() else { break };
        if let Some(rest) = line.unwrap().strip_prefix("committed ") {
            let (id, version) = rest.split_once(' ').unwrap();
            reported.push((id.parse::<Id>().unwrap(), version.parse::<u64>().unwrap()));
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no checkpoint.
    child.wait().unwrap();
    eprintln!(
        "{} appends reported committed before SIGKILL",
        reported.len()
    );
    assert!(
        reported.len() >= 100,
        "the child committed only {} appends",
        reported.len()
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sqlite = SqliteStore::open(dir.path()).await.unwrap();
        let integrity: String = sqlite
            .with_reader(|conn| conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
        let store = Store::from_adapter(sqlite);
        for (id, version) in &reported {
            let events = store.users.history(*id).await.unwrap();
            assert_eq!(events.len() as u64, *version, "stream {id} lost events");
            let user = store.users.by_id(*id).await.unwrap();
            assert_eq!(
                user.map(|u| u.version.get()),
                Some(*version),
                "user {id} lost"
            );
        }
        assert_eq!(foreign_key_violations(dir.path()), 0);
    });
}

fn foreign_key_violations(dir: &std::path::Path) -> usize {
    let conn = rusqlite::Connection::open(dir.join(FILE_NAME)).unwrap();
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let violations = stmt.query_map([], |_| Ok(())).unwrap().count();
    violations
}

// ---- Rebuild equals live, for any history ------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Register { name: usize, email: usize },
    Rename { user: usize, name: usize },
    ChangeEmail { user: usize, email: usize },
    ChangePassword { user: usize },
    Delete { user: usize },
}

/// Few names and emails, so histories are full of taken-name conflicts,
/// deletions that free names, and names taken again.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..5usize, 0..5usize).prop_map(|(name, email)| Op::Register { name, email }),
        2 => (0..8usize, 0..3usize).prop_map(|(user, name)| Op::Rename { user, name }),
        2 => (0..8usize, 0..5usize).prop_map(|(user, email)| Op::ChangeEmail { user, email }),
        1 => (0..8usize).prop_map(|user| Op::ChangePassword { user }),
        1 => (0..8usize).prop_map(|user| Op::Delete { user }),
    ]
}

/// What the accounts service does, minus hashing: read the row, decide,
/// append.
async fn run(store: &Store, streams: &mut Vec<Id>, op: Op) {
    let at = at(streams.len() as i64);
    let update = |name: Option<DisplayName>, email: Option<Email>, password| UserCommand::Update {
        profile: ProfileUpdated {
            name,
            email,
            bio: None,
            at,
        },
        password,
    };
    let (id, command) = match op {
        Op::Register { name, email } => {
            let id = Id::generate();
            streams.push(id);
            let command = UserCommand::Register(UserRegistered {
                user_id: id,
                username: Username::parse(&format!("user{name}")).unwrap(),
                email: Email::parse(&format!("e{email}@example.com")).unwrap(),
                name: DisplayName::parse("Someone").unwrap(),
                password_hash: PasswordHash::from_stored("$2b$04$initial"),
                at,
            });
            (id, command)
        }
        _ if streams.is_empty() => return,
        Op::Rename { user, name } => (
            streams[user % streams.len()],
            update(
                Some(DisplayName::parse(&format!("Name {name}")).unwrap()),
                None,
                None,
            ),
        ),
        Op::ChangeEmail { user, email } => (
            streams[user % streams.len()],
            update(
                None,
                Some(Email::parse(&format!("e{email}@example.com")).unwrap()),
                None,
            ),
        ),
        Op::ChangePassword { user } => (
            streams[user % streams.len()],
            update(
                None,
                None,
                Some(PasswordHash::from_stored(format!(
                    "$2b$04$changed{}",
                    at.millis()
                ))),
            ),
        ),
        Op::Delete { user } => (
            streams[user % streams.len()],
            UserCommand::Delete(UserDeleted { at }),
        ),
    };
    let state = store.users.by_id(id).await.unwrap();
    let expected = state.as_ref().map_or(Version::NONE, |u| u.version);
    if let Ok(events) = user::decide(state.as_ref(), command) {
        // Conflicts (taken names and emails) are part of the history too.
        let _ = store.users.append(Append::new(id, expected, events)).await;
    }
}

async fn all_users(store: &Store) -> Vec<User> {
    store
        .users
        .list(Page::first(Limit::new(100).unwrap()))
        .await
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn rebuilt_users_equal_the_live_users_after_any_commands(ops in prop::collection::vec(op(), 1..60)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (live, rebuilt, events) = runtime.block_on(async {
            let fixture = TestStore::open(Backend::Sqlite).await.unwrap();
            let store = fixture.store.clone();
            let mut streams = Vec::new();
            for op in ops {
                run(&store, &mut streams, op).await;
            }
            let live = all_users(&store).await;
            let report = store.users.rebuild().await.unwrap();
            let rebuilt = all_users(&store).await;
            fixture.finish().await;
            (live, rebuilt, report.events)
        });
        prop_assert_eq!(&rebuilt, &live);
        let names: HashSet<_> = live.iter().map(|u| u.username.key()).collect();
        prop_assert_eq!(names.len(), live.len(), "usernames stay unique");
        prop_assert!(events as usize >= live.len());
    }
}

// ---- Group commit ----------------------------------------------------------

/// Writes that share a transaction fail alone: a registration refused for a
/// taken name (after its events were inserted) is rolled back to its own
/// savepoint while the others in the batch commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_in_a_batch_is_undone_alone() {
    let fixture = TestStore::open(Backend::Sqlite).await.unwrap();
    let store = fixture.store.clone();
    register(&store, "taken").await;
    let attempts: Vec<_> = (0..100)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let id = Id::generate();
                let name = if n % 2 == 0 {
                    "taken".to_owned()
                } else {
                    format!("free{n}")
                };
                let email = format!("{n}@example.com");
                let result = append(
                    &store,
                    id,
                    0,
                    vec![registered(id, &name, &email), renamed("X")],
                )
                .await;
                (id, n % 2 == 0, result)
            })
        })
        .collect();
    for attempt in attempts {
        let (id, refused, result) = attempt.await.unwrap();
        let events = store.users.history(id).await.unwrap();
        if refused {
            assert!(result.is_err());
            assert!(events.is_empty(), "a refused append left events");
            assert!(store.users.by_id(id).await.unwrap().is_none());
        } else {
            assert_eq!(result.unwrap().unwrap().version, Version::new(2));
            assert_eq!(events.len(), 2);
            assert!(store.users.by_id(id).await.unwrap().is_some());
        }
    }
    assert_eq!(all_users(&store).await.len(), 51);
    fixture.finish().await;
}

/// L-11: a write whose caller timed out while another process held the
/// write lock must not land when the lock is released: the client was
/// told it failed, and would post it again.
#[tokio::test]
async fn a_write_whose_caller_gave_up_waiting_for_the_lock_never_lands() {
    let config = server::config::Config {
        request_timeout_secs: 1,
        ..server::config::Config::for_tests()
    };
    let api = crate::helpers::TestApp::spawn_with(Backend::Sqlite, config)
        .await
        .unwrap();
    let (mut alice, _) = api.user("alice").await;
    let file = api.sqlite().unwrap().path().to_path_buf();
    let (locked, is_locked) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(file).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_secs(3));
        conn.execute_batch("COMMIT").unwrap();
    });
    is_locked.recv().unwrap();
    let response = alice
        .post("/api/v2/tweets", serde_json::json!({"body": "ghost"}))
        .await;
    response.assert_error(408, "timeout");
    tokio::task::spawn_blocking(move || holder.join().unwrap())
        .await
        .unwrap();
    // The writer has had the lock back for a while.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let tweets = alice.get("/api/v2/tweets").await.json();
    assert_eq!(
        tweets["tweets_list"],
        serde_json::json!([]),
        "a ghost write landed"
    );
    // And the next write goes through.
    alice
        .post("/api/v2/tweets", serde_json::json!({"body": "real"}))
        .await
        .assert_status(201);
    api.stop().await;
}
