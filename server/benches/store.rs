//! Storage throughput on SQLite. Prints figures; never fails on time.
//!
//!     cargo bench -p server --bench store
//!
//! - commands/s for RegisterUser and ChangePassword as the accounts
//!   service runs them (read the row → decide → append+project in one
//!   transaction), hashing excluded: one bcrypt hash is made up front and
//!   reused;
//! - seconds to rebuild the read models from 100k and 1M events.
//!
//! `CHIRP_BENCH_QUICK=1` runs a tenth of the work (for a smoke run).

// A benchmark stops at the first failure, which `unwrap` says well enough.
#![allow(clippy::unwrap_used)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use server::{
    domain::{
        user::{self, PasswordChanged, ProfileUpdated, UserRegistered},
        DisplayName, Email, Id, Password, PasswordHash, Timestamp, UserCommand, UserEvent,
        Username, Version,
    },
    passwords::{BcryptCost, PasswordHasher},
    store::{codec, sqlite::SqliteStore, Append, Store},
};

fn main() {
    let quick = std::env::var("CHIRP_BENCH_QUICK").is_ok_and(|v| v == "1");
    let scale = if quick { 10 } else { 1 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("storage benchmark (SQLite, synchronous=FULL, WAL, group commit)");
        println!(
            "cores: {}",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        for concurrency in [1, 64] {
            commands(
                concurrency,
                20_000 / scale / if concurrency == 1 { 5 } else { 1 },
            )
            .await;
        }
        for events in [100_000, 1_000_000] {
            rebuild(events / scale).await;
        }
    });
}

async fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).await.unwrap();
    (dir, store)
}

/// `count` commands of each kind, `concurrency` at a time, like that many
/// simultaneous requests.
async fn commands(concurrency: usize, count: usize) {
    let (_dir, sqlite) = fresh().await;
    let store = Store::from_adapter(sqlite);
    let hash = PasswordHasher::new(BcryptCost::insecure_for_tests(12), 2)
        .hash(&Password::parse("benchmark password").unwrap())
        .await
        .unwrap();

    let started = Instant::now();
    let ids = run(concurrency, count, {
        let store = store.clone();
        let hash = hash.clone();
        move |n| {
            let store = store.clone();
            let hash = hash.clone();
            async move {
                let id = Id::generate();
                let command = UserCommand::Register(UserRegistered {
                    user_id: id,
                    username: Username::parse(&format!("user{n}")).unwrap(),
                    email: Email::parse(&format!("user{n}@example.com")).unwrap(),
                    name: DisplayName::parse("Bench User").unwrap(),
                    password_hash: hash,
                    at: Timestamp::now(),
                });
                let events = user::decide(None, command).unwrap();
                let append = Append::new(id, Version::NONE, events);
                store.users.append(append).await.unwrap();
                id
            }
        }
    })
    .await;
    report("RegisterUser", concurrency, count, started.elapsed());

    let ids = Arc::new(ids);
    let started = Instant::now();
    run(concurrency, count, move |n| {
        let store = store.clone();
        let hash = hash.clone();
        let id = ids[n];
        async move {
            let current = store.users.by_id(id).await.unwrap();
            let command = UserCommand::Update {
                profile: ProfileUpdated {
                    name: None,
                    email: None,
                    bio: None,
                    at: Timestamp::now(),
                },
                password: Some(hash),
            };
            let events = user::decide(current.as_ref(), command).unwrap();
            let expected = current.map_or(Version::NONE, |u| u.version);
            store
                .users
                .append(Append::new(id, expected, events))
                .await
                .unwrap();
        }
    })
    .await;
    report("ChangePassword", concurrency, count, started.elapsed());
}

/// Runs `job(0..count)` with `concurrency` workers; results in job order.
async fn run<T, F, Fut>(concurrency: usize, count: usize, job: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send,
{
    let job = Arc::new(job);
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            let job = job.clone();
            tokio::spawn(async move {
                let mut out = Vec::new();
                for n in (w..count).step_by(concurrency) {
                    out.push((n, job(n).await));
                }
                out
            })
        })
        .collect();
    let mut all = Vec::with_capacity(count);
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all.sort_by_key(|(n, _)| *n);
    all.into_iter().map(|(_, t)| t).collect()
}

fn report(what: &str, concurrency: usize, count: usize, took: Duration) {
    println!(
        "{what:<15} concurrency {concurrency:>2}: {count:>6} commands in {:>6.2} s = {:>7.0} commands/s",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64()
    );
}

/// Writes `events` events straight into the log (ten per user: registered,
/// five renames, three password changes, one email change), then times a
/// rebuild into an empty read model and one over a full one.
async fn rebuild(events: usize) {
    let (_dir, sqlite) = fresh().await;
    let users = events / 10;
    let started = Instant::now();
    sqlite
        .with_writer(move |conn| {
            let mut insert = conn.prepare(
                "INSERT INTO events (event_id, stream_id, version, kind, schema_version, payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let at = Timestamp::from_millis(1_764_000_000_000);
            let hash = PasswordHash::from_stored(format!("$2b$12${}", "x".repeat(53)));
            for u in 0..users {
                let id = Id::generate();
                for (v, event) in user_history(id, u, at, &hash).iter().enumerate() {
                    let encoded = codec::encode(event);
                    insert.execute(rusqlite::params![
                        Id::generate().as_i64(),
                        id.as_i64(),
                        v as i64 + 1,
                        encoded.kind,
                        encoded.schema,
                        encoded.payload
                    ])?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
    println!(
        "rebuild {events:>8} events: wrote them in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let store = Store::from_adapter(sqlite);
    for pass in ["into an empty read model", "over a full read model "] {
        let started = Instant::now();
        let report = store.users.rebuild().await.unwrap();
        let took = started.elapsed();
        assert_eq!(report.events as usize, events);
        assert_eq!(report.users as usize, users);
        println!(
            "rebuild {events:>8} events {pass}: {:>6.2} s ({:.0} events/s, {} users)",
            took.as_secs_f64(),
            events as f64 / took.as_secs_f64(),
            report.users
        );
    }
}

fn user_history(id: Id, n: usize, at: Timestamp, hash: &PasswordHash) -> Vec<UserEvent> {
    let mut history = vec![UserEvent::UserRegistered(UserRegistered {
        user_id: id,
        username: Username::parse(&format!("user{n}")).unwrap(),
        email: Email::parse(&format!("user{n}@example.com")).unwrap(),
        name: DisplayName::parse("Bench User").unwrap(),
        password_hash: hash.clone(),
        at,
    })];
    for i in 0..5 {
        history.push(UserEvent::ProfileUpdated(ProfileUpdated {
            name: Some(DisplayName::parse(&format!("Name {i}")).unwrap()),
            email: None,
            bio: None,
            at,
        }));
    }
    for _ in 0..3 {
        history.push(UserEvent::PasswordChanged(PasswordChanged {
            password_hash: hash.clone(),
            at,
        }));
    }
    history.push(UserEvent::ProfileUpdated(ProfileUpdated {
        name: None,
        email: Some(Email::parse(&format!("new{n}@example.com")).unwrap()),
        bio: None,
        at,
    }));
    history
}
