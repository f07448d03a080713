//! The command line: `chirp-server rebuild-read-models` on a real data
//! directory (after the users table is damaged, the command restores
//! exactly what it held), and what a wrong command says.

use std::process::Command;

use server::{
    domain::{Id, User},
    store::{
        sqlite::{SqliteStore, FILE_NAME},
        Limit, Page, Store,
    },
};

use crate::helpers::events::{append, registered, renamed};

async fn users(store: &Store) -> Vec<User> {
    store
        .users
        .list(Page::first(Limit::new(100).unwrap()))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_rebuild_command_restores_the_users_read_model_from_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let live = {
        let store = Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap());
        for name in ["ada", "bob", "cat"] {
            let id = Id::generate();
            let email = format!("{name}@example.com");
            append(
                &store,
                id,
                0,
                vec![registered(id, name, &email), renamed("Renamed")],
            )
            .await
            .unwrap();
        }
        users(&store).await
    };
    assert_eq!(live.len(), 3);
    {
        let conn = rusqlite::Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.execute_batch(
            "DELETE FROM users WHERE username = 'bob';
             UPDATE users SET name = 'Wrong', version = 99 WHERE username = 'ada';",
        )
        .unwrap();
    }

    let output = Command::new(env!("CARGO_BIN_EXE_chirp-server"))
        .arg("rebuild-read-models")
        .env("CHIRP_DATA_DIR", dir.path())
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("rebuilt the read models"), "{log}");
    assert!(log.contains("events=6") && log.contains("users=3"), "{log}");

    let store = Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap());
    assert_eq!(users(&store).await, live);
}

#[test]
fn an_unknown_subcommand_fails_with_the_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_chirp-server"))
        .arg("rebuild-everything")
        .env("CHIRP_DATA_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("Usage: chirp-server"), "{said}");
    assert!(said.contains("rebuild-everything"), "{said}");
}
