//! Passwords and their hashes never reach a log line or a `Debug` string:
//! every log record at every level is captured while a user registers,
//! logs in (right and wrong), changes password and is deleted, then
//! searched for the secrets.

mod store_support;

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use server::{
    domain::{DisplayName, Email, Password, Username},
    passwords::{BcryptCost, PasswordHasher},
    users::{Registration, Users},
};
use store_support::TestStore;
use tracing_subscriber::fmt::MakeWriter;

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

    let fixture = TestStore::sqlite().await;
    let users = Users::new(
        fixture.store.clone(),
        PasswordHasher::new(BcryptCost::insecure_for_tests(4), 2),
    );
    let mut debug = String::new();
    let registration = Registration {
        username: Username::parse("ada").unwrap(),
        email: Email::parse("ada@example.com").unwrap(),
        name: DisplayName::parse("Ada").unwrap(),
        password: Password::parse(FIRST).unwrap(),
    };
    let user = users.register(registration).await.unwrap();
    tracing::info!(?user, "registered");
    debug += &format!("{user:?}");
    let first_hash = user.password_hash.expose_for_storage().to_owned();

    for attempt in [FIRST, "wrong password!", SECOND] {
        let password = Password::parse(attempt).unwrap();
        debug += &format!("{password:?}");
        let found = users.authenticate("ada", &password).await.unwrap();
        tracing::info!(?found, "login attempt");
        debug += &format!("{found:?}");
    }
    let found = users
        .authenticate("nobody", &Password::parse(FIRST).unwrap())
        .await
        .unwrap();
    assert!(found.is_none());

    let changed = users
        .change_password(
            user.id,
            Some(user.version),
            &Password::parse(SECOND).unwrap(),
        )
        .await
        .unwrap();
    let second_hash = changed.password_hash.expose_for_storage().to_owned();
    assert!(users
        .authenticate("ADA", &Password::parse(SECOND).unwrap())
        .await
        .unwrap()
        .is_some());
    let history = users.history(user.id).await.unwrap();
    tracing::debug!(?history, "history");
    debug += &format!("{history:?}");
    users.delete(user.id, None).await.unwrap();

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
    fixture.finish().await;
}
