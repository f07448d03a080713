//! Passwords and their bcrypt hashes: values that must never leak.
//!
//! Neither type implements `Serialize` or `Display`, and their `Debug` prints
//! a placeholder, so neither can end up in JSON or in a log line by accident.
//! Hashing itself lives in [`crate::passwords`], off the async runtime.

use std::fmt;

use app::api::FieldCode;

/// A password as typed: at least 8 characters and at most 72 bytes, because
/// bcrypt reads only 72 bytes and a silently shortened password is weaker than
/// its owner believes.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_BYTES: usize = 72;

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        if input.is_empty() {
            return Err(FieldCode::Blank);
        }
        if input.len() > Self::MAX_BYTES {
            return Err(FieldCode::TooLong);
        }
        if input.chars().count() < Self::MIN_CHARS {
            return Err(FieldCode::TooShort);
        }
        Ok(Self(input.to_owned()))
    }

    /// A password being chosen (sign-up, a change): as [`Password::parse`],
    /// and without control characters. bcrypt ends the key at a NUL and
    /// repeats it, so `P` and `P NUL P` would be one password; and no one
    /// types a control character on purpose. Logging in still takes any
    /// password that was accepted when it was chosen.
    pub fn choose(input: &str) -> Result<Self, FieldCode> {
        let password = Self::parse(input)?;
        if input.chars().any(char::is_control) {
            return Err(FieldCode::InvalidCharacters);
        }
        Ok(password)
    }

    /// The secret itself, for the hasher only.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A bcrypt hash in its modular crypt form (`$2b$12$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// A hash read back from storage, or just made by the hasher.
    pub fn from_stored(hash: impl Into<String>) -> Self {
        Self(hash.into())
    }

    /// The hash text, for writing to a store and for the verifier only.
    pub fn expose_for_storage(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_chosen_password_has_no_control_characters() {
        assert!(Password::choose("correct horse").is_ok());
        for bad in [
            "correct\0horse",
            "correct\u{7}horse",
            "tab\there!",
            "new\nline!",
        ] {
            assert_eq!(
                Password::choose(bad).err(),
                Some(FieldCode::InvalidCharacters),
                "{bad:?}"
            );
        }
        // Logging in takes what was accepted before.
        assert!(Password::parse("correct\0horse").is_ok());
    }

    #[test]
    fn passwords_need_eight_characters_and_fit_in_72_bytes() {
        assert_eq!(Password::parse("").unwrap_err(), FieldCode::Blank);
        assert_eq!(Password::parse("short").unwrap_err(), FieldCode::TooShort);
        assert!(Password::parse("eight ch").is_ok());
        assert!(Password::parse(&"x".repeat(72)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(73)).unwrap_err(),
            FieldCode::TooLong
        );
        // 25 three-byte characters: few characters, too many bytes for bcrypt.
        assert_eq!(
            Password::parse(&"€".repeat(25)).unwrap_err(),
            FieldCode::TooLong
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let password = Password::parse("correct horse battery").unwrap();
        let hash = PasswordHash::from_stored("$2b$12$abcdefghijklmnopqrstuv");
        assert!(!format!("{password:?}").contains("horse"));
        assert!(!format!("{hash:?}").contains("abcdef"));
    }

    proptest! {
        #[test]
        fn password_parser_never_panics_and_round_trips(input in any::<String>()) {
            if let Ok(password) = Password::parse(&input) {
                prop_assert_eq!(password.expose_secret(), input.as_str());
                prop_assert!(password.expose_secret().len() <= Password::MAX_BYTES);
            }
        }
    }
}
