//! Optimistic concurrency under a real race: 64 tasks append at the same
//! expected version, 200 rounds. Every round exactly one wins and 63 get a
//! stale-version conflict; afterwards the events replay to the read model.

use std::sync::Arc;

use server::{
    domain::{user, Version},
    store::{Conflict, Store, StoreError},
};
use tokio::sync::Barrier;

use crate::helpers::{
    events::{append, register, renamed},
    Backend, TestStore,
};

const TASKS: usize = 64;
const ROUNDS: u64 = 200;

async fn race(store: &Store) {
    let id = register(store, "racer").await.id;
    for round in 0..ROUNDS {
        let expected = round + 1;
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
                    (task, append(&store, id, expected, events).await)
                })
            })
            .collect();
        let mut winners = Vec::new();
        let mut conflicts = 0;
        for task in tasks {
            match task.await.unwrap() {
                (task, Ok(Some(user))) => {
                    assert_eq!(user.version, Version::new(expected + 1));
                    winners.push(task);
                }
                (_, Err(StoreError::Conflict(Conflict::StaleVersion))) => conflicts += 1,
                (_, other) => panic!("round {round}: unexpected {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        assert_eq!(conflicts, TASKS - 1, "round {round}");
        let user = store.users.by_id(id).await.unwrap().unwrap();
        assert_eq!(
            user.name.as_str(),
            format!("round {round} task {}", winners[0])
        );
        assert_eq!(user.version, Version::new(expected + 1));
    }

    let history = store.users.history(id).await.unwrap();
    assert_eq!(history.len() as u64, ROUNDS + 1);
    let replayed = user::replay(history.iter().map(|e| &e.event));
    let live = store.users.by_id(id).await.unwrap();
    assert_eq!(replayed, live);
    store.users.rebuild().await.unwrap();
    assert_eq!(store.users.by_id(id).await.unwrap(), live);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_64_racing_appends_200_rounds_one_winner_each() {
    let store = TestStore::open(Backend::Sqlite).await.unwrap();
    race(&store.store).await;
    store.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mongodb_64_racing_appends_200_rounds_one_winner_each() {
    let Some(store) = TestStore::open(Backend::Mongo).await else {
        return;
    };
    race(&store.store).await;
    store.finish().await;
}
