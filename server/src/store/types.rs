//! What the stores hold and return, independent of any database.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::{
    DisplayName, Email, Id, PasswordHash, Timestamp, UserEvent, Username, Version,
};

/// One event as stored: where it sits in its stream and in the global log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// Position in the whole log, starting at 1, in commit order: catch-up
    /// readers resume from the last position they saw.
    pub position: u64,
    pub stream_id: Id,
    /// This event's version within its stream, starting at 1.
    pub version: Version,
    pub event: UserEvent,
}

/// A row of the users read model: the current state of a live user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: Id,
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: PasswordHash,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Version of the user's event stream this row reflects (for `ETag`).
    pub version: Version,
}

/// A page of a newest-first list. `max_id` and `since_id` are exclusive
/// bounds: `max_id` asks for older items, `since_id` for newer ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<Id>,
    pub since_id: Option<Id>,
    pub limit: Limit,
}

impl Page {
    pub fn first(limit: Limit) -> Self {
        Self {
            max_id: None,
            since_id: None,
            limit,
        }
    }

    pub fn older_than(max_id: Id, limit: Limit) -> Self {
        Self {
            max_id: Some(max_id),
            since_id: None,
            limit,
        }
    }
}

/// How many items a page holds: 1..=100, 20 unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u16);

impl Limit {
    pub const MAX: u16 = 100;
    pub const DEFAULT: Self = Self(20);

    /// Clamps into 1..=100, so a client asking for 10,000 gets 100.
    pub fn clamped(n: i64) -> Self {
        Self(n.clamp(1, Self::MAX as i64) as u16)
    }

    pub const fn get(self) -> u16 {
        self.0
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A server-side session. Stores keep only the SHA-256 of the token the
/// browser holds, so a leaked database does not hand out live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: TokenHash,
    pub user_id: Id,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// SHA-256 of a session token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A prefix is enough to tell sessions apart in logs.
        write!(f, "TokenHash({}…)", &self.to_hex()[..8])
    }
}

/// One entry of the original service's `apirelease` collection, served by
/// `GET /api/v1/info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRelease {
    pub buildtime: String,
    pub version: String,
    pub methods: String,
    pub links: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hashes_round_trip_through_hex() {
        let hash = TokenHash::of("some random token");
        assert_eq!(TokenHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(TokenHash::from_hex("zz"), None);
        assert!(!format!("{hash:?}").contains(&hash.to_hex()));
    }

    #[test]
    fn limits_are_clamped() {
        assert_eq!(Limit::clamped(0).get(), 1);
        assert_eq!(Limit::clamped(10_000).get(), 100);
        assert_eq!(Limit::default().get(), 20);
    }
}
