//! Passwords and their hashes never reach a log line or a `Debug` string:
//! every log record at every level is captured while a user registers,
//! logs in (right and wrong), changes password and is deleted, then
//! searched for the secrets.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

use crate::helpers::{Backend, TestApp};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const FIRST: &str = "first secret passphrase";
const SECOND: &str = "second secret passphrase";

#[tokio::test]
async fn no_password_or_hash_in_any_log_line_or_debug_output() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Through the whole app, as people use it: every layer and every
    // service logs what it logs.
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let mut debug = String::new();
    let mut ada = app.client();
    let signed_up = ada
        .post(
            "/api/v1/users",
            json!({"username": "ada", "email": "ada@example.com", "password": FIRST}),
        )
        .await;
    signed_up.assert_status(201);
    let id = signed_up.json()["id"].as_str().unwrap().parse().unwrap();
    let user = app.store.users.by_id(id).await.unwrap().unwrap();
    tracing::info!(?user, "registered");
    debug += &format!("{user:?}");
    let first_hash = user.password_hash.expose_for_storage().to_owned();

    for (username, attempt, status) in [
        ("ada", FIRST, 200),
        ("ada", "wrong password!", 401),
        ("ada", SECOND, 401),
        ("nobody", FIRST, 401),
    ] {
        debug += &format!("{:?}", server::domain::Password::parse(attempt));
        app.client()
            .post(
                "/api/v1/auth/login",
                json!({"username": username, "password": attempt}),
            )
            .await
            .assert_status(status);
    }
    ada.put(
        &format!("/api/v1/users/{id}"),
        json!({"password": SECOND, "current_password": FIRST}),
    )
    .await
    .assert_status(200);
    let changed = app.store.users.by_id(id).await.unwrap().unwrap();
    let second_hash = changed.password_hash.expose_for_storage().to_owned();
    let mut again = app.client();
    again
        .post(
            "/api/v1/auth/login",
            json!({"username": "ADA", "password": SECOND}),
        )
        .await
        .assert_status(200);
    let history = app.store.users.history(id).await.unwrap();
    tracing::debug!(?history, "history");
    debug += &format!("{history:?}");
    ada.delete(&format!("/api/v1/users/{id}"))
        .await
        .assert_status(204);

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("user registered"),
        "logs were captured: {logs}"
    );
    assert!(logs.contains("password changed"));
    for (what, text) in [("logs", &logs), ("Debug output", &debug)] {
        for secret in [FIRST, SECOND, &first_hash, &second_hash] {
            assert!(!text.contains(secret), "{what} contain a secret: {text}");
        }
        // Not even a recognisable fragment of a bcrypt hash.
        assert!(
            !text.contains("$2b$"),
            "{what} contain a bcrypt hash: {text}"
        );
    }
    app.stop().await;
}
