//! Optimistic concurrency under a real race: 64 tasks append at the same
//! expected version, 200 rounds. Every round exactly one wins and 63 get a
//! stale-version conflict; afterwards the events replay to the read model.
//! On SQLite always, on MongoDB when `MONGODB_URI` is set.

mod store_support;

use std::sync::Arc;

use server::{
    domain::{Id, Version},
    store::{projection, Conflict, Store, StoreError},
};
use store_support::*;
use tokio::sync::Barrier;

const TASKS: usize = 64;
const ROUNDS: u64 = 200;

async fn race(store: &Store) {
    let id = Id::generate();
    store
        .events
        .append(
            id,
            Version::NONE,
            vec![registered(id, "racer", "racer@example.com")],
        )
        .await
        .unwrap();
    for round in 0..ROUNDS {
        let expected = Version::new(round + 1);
        let start = Arc::new(Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let store = store.clone();
                let start = start.clone();
                // Events are built before the start line, so the race is
                // only the appends.
                let events = vec![renamed(&format!("round {round} task {task}"))];
                tokio::spawn(async move {
                    start.wait().await;
                    (task, store.events.append(id, expected, events).await)
                })
            })
            .collect();
        let mut winners = Vec::new();
        let mut conflicts = 0;
        for task in tasks {
            match task.await.unwrap() {
                (task, Ok(version)) => {
                    assert_eq!(version, expected.next());
                    winners.push(task);
                }
                (
                    _,
                    Err(StoreError::Conflict(Conflict::StaleVersion {
                        expected: e,
                        actual,
                    })),
                ) => {
                    assert_eq!((e, actual), (expected, expected.next()));
                    conflicts += 1;
                }
                (_, Err(other)) => panic!("round {round}: unexpected {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        assert_eq!(conflicts, TASKS - 1, "round {round}");
        let user = store.users.by_id(id).await.unwrap().unwrap();
        assert_eq!(
            user.name.as_str(),
            format!("round {round} task {}", winners[0])
        );
        assert_eq!(user.version, expected.next());
    }

    let history = store.events.load(id).await.unwrap();
    assert_eq!(history.len() as u64, ROUNDS + 1);
    let replayed = history
        .iter()
        .fold(None, |row, e| projection::project(row, &e.event, e.version));
    let live = store.users.by_id(id).await.unwrap();
    assert_eq!(replayed, live);
    store.maintenance.rebuild_read_models().await.unwrap();
    assert_eq!(store.users.by_id(id).await.unwrap(), live);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_64_racing_appends_200_rounds_one_winner_each() {
    let fixture = TestStore::sqlite().await;
    race(&fixture.store).await;
    fixture.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mongodb_64_racing_appends_200_rounds_one_winner_each() {
    let Some(fixture) = TestStore::mongo().await else {
        return;
    };
    race(&fixture.store).await;
    fixture.finish().await;
}
