//! Server-side sessions over the store's `SessionStore`.
//!
//! The browser holds a 256-bit random token in an `HttpOnly` cookie; the
//! store holds only its SHA-256 ([`TokenHash`]), so a copy of the database
//! cannot be used to log in. A new token is issued at every login and
//! sign-up (no session fixation), and logout deletes the row, so a replayed
//! cookie is worthless.

use std::time::Duration;

use app::api::SESSION_COOKIE;
use axum::http::{header, HeaderMap, HeaderValue};
use rand::RngCore;

use crate::{
    domain::{Id, Timestamp},
    error::Result,
    store::{Session, SessionStore, TokenHash},
};

/// A freshly issued session: the token goes into the cookie, never into
/// storage or logs.
pub struct Issued {
    pub token: String,
    pub session: Session,
}

/// 32 bytes from the OS-seeded CSPRNG, hex-encoded.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts a session for `user_id`, first ending the one the request came
/// with (if any), so every login gets a new id even when someone was already
/// logged in on this browser.
pub async fn rotate(
    store: &dyn SessionStore,
    previous: Option<TokenHash>,
    user_id: Id,
    ttl: Duration,
) -> Result<Issued> {
    if let Some(previous) = previous {
        store.delete(&previous).await?;
    }
    let now = Timestamp::now();
    // Expired rows are swept here rather than by a timer: logins are when
    // sessions are made, so the table cannot grow faster than this runs.
    store.delete_expired(now).await?;
    let token = new_token();
    let session = Session {
        token_hash: TokenHash::of(&token),
        user_id,
        created_at: now,
        expires_at: now.plus_seconds(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX)),
    };
    store.create(&session).await?;
    Ok(Issued { token, session })
}

/// The session token the request carries, if it looks like one of ours.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Set-Cookie` for a new session. `Secure` unless configured off for local
/// HTTP; `SameSite=Lax` keeps it off cross-site subrequests and forms.
pub fn cookie(token: &str, ttl: Duration, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        ttl.as_secs()
    );
    HeaderValue::from_str(&value).expect("a hex token makes a valid header")
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}");
    HeaderValue::from_str(&value).expect("a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
    }

    #[test]
    fn finds_the_token_among_other_cookies() {
        let t = new_token();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("theme=dark; {SESSION_COOKIE}={t}; x=1")
                .parse()
                .unwrap(),
        );
        assert_eq!(token(&headers), Some(t.as_str()));
        headers.insert(
            header::COOKIE,
            format!("{SESSION_COOKIE}=not-a-token").parse().unwrap(),
        );
        assert_eq!(token(&headers), None);
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_by_default() {
        let c = cookie(&new_token(), Duration::from_secs(60), true);
        let c = c.to_str().unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60", "Secure"] {
            assert!(c.contains(attribute), "{c}");
        }
        assert!(!cookie("ab", Duration::from_secs(1), false)
            .to_str()
            .unwrap()
            .contains("Secure"));
    }
}
