//! Server-side sessions: issuing tokens and telling who a token belongs to.
//!
//! The browser holds a 256-bit random token in an `HttpOnly` cookie; the
//! store holds only its SHA-256 ([`TokenHash`]), so a copy of the database
//! cannot be used to log in. A session is opened by the same transaction
//! as the login or sign-up that earns it (a `LoggedIn` or `UserRegistered`
//! event), stamped with the user's credentials version, and is void once
//! the password changes. Logging out deletes it, so a replayed cookie is
//! worthless.

use std::time::Duration;

use rand::RngCore;

use crate::{
    domain::{Timestamp, User},
    error::Result,
    store::{NewSession, Store, TokenHash},
};

/// The secret a browser presents. Never stored, never logged.
pub struct SessionToken(String);

impl SessionToken {
    /// What goes into the cookie.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A logged-in user and the session the request came with.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub session: TokenHash,
}

#[derive(Clone, Debug)]
pub struct Sessions {
    store: Store,
    ttl: Duration,
    idle: Duration,
}

/// How far behind a session's `last_seen` may lag: touching it on every
/// request would make every page view a write.
const TOUCH_EVERY: Duration = Duration::from_secs(3600);

impl Sessions {
    /// Sessions last `ttl` at most, and end after `idle` without use.
    pub fn new(store: Store, ttl: Duration, idle: Duration) -> Self {
        Self { store, ttl, idle }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A new token, and the session row an append will open for it.
    pub fn issue(&self) -> (SessionToken, NewSession) {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let now = Timestamp::now();
        let session = NewSession {
            token_hash: TokenHash::of(&token),
            created_at: now,
            expires_at: now.plus_seconds(i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX)),
        };
        (SessionToken(token), session)
    }

    /// Who `token` is logged in as. A malformed, unknown, expired, idle or
    /// superseded token is nobody; only a failing store is an error.
    pub async fn resolve(&self, token: &str) -> Result<Option<SignedIn>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = TokenHash::of(token);
        let now = Timestamp::now();
        let Some((session, user)) = self.store.sessions.resolve(&hash, now).await? else {
            return Ok(None);
        };
        let unused_for = Duration::from_millis(
            u64::try_from(now.millis() - session.last_seen.millis()).unwrap_or(0),
        );
        if unused_for > self.idle {
            return Ok(None);
        }
        if unused_for > TOUCH_EVERY {
            self.store.sessions.touch(&hash, now).await?;
        }
        Ok(Some(SignedIn {
            user,
            session: hash,
        }))
    }

    /// Ends `session`, server-side.
    pub async fn end(&self, session: &TokenHash) -> Result<()> {
        self.store.sessions.delete(session).await?;
        Ok(())
    }

    /// Removes expired sessions. Logins call it: they are when sessions are
    /// made, so the table cannot grow faster than this runs.
    pub async fn sweep(&self) -> Result<()> {
        self.store.sessions.delete_expired(Timestamp::now()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokens_are_256_random_bits_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::sqlite::SqliteStore::open(dir.path())
            .await
            .unwrap();
        let sessions = Sessions::new(
            Store::from_adapter(store),
            Duration::from_secs(60),
            Duration::from_secs(60),
        );
        let (a, _) = sessions.issue();
        let (b, new) = sessions.issue();
        assert_eq!(a.expose_secret().len(), 64);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(new.token_hash, TokenHash::of(b.expose_secret()));
        assert!(!format!("{a:?}").contains(a.expose_secret()));
    }
}
