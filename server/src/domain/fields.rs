//! The validated values of a user's profile.
//!
//! Each type can only hold a valid value. `parse` checks input from people;
//! `from_stored` rebuilds a value a store wrote after it was parsed, so
//! tightening a rule later cannot make existing users unreadable.

use serde::{Deserialize, Serialize};

use app::api::FieldCode;

use super::{string_newtype, text};

/// 3–30 ASCII letters, digits or underscores. Unique regardless of case:
/// stores index [`Username::key`], and keep the spelling the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);
string_newtype!(Username);

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 30;

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        if input.is_empty() {
            return Err(FieldCode::Blank);
        }
        if !input.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(FieldCode::InvalidCharacters);
        }
        // All ASCII from here, so bytes are characters.
        match input.len() {
            n if n < Self::MIN_CHARS => Err(FieldCode::TooShort),
            n if n > Self::MAX_CHARS => Err(FieldCode::TooLong),
            _ => Ok(Self(input.to_owned())),
        }
    }

    /// The case-folded form that uniqueness and look-ups use.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// An email address, trimmed, at most 254 characters, with a non-empty local
/// part and a dotted domain. Deliverability is not checked here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        let email = input.trim();
        if email.is_empty() {
            return Err(FieldCode::Blank);
        }
        if email.chars().count() > Self::MAX_CHARS {
            return Err(FieldCode::TooLong);
        }
        if email.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(FieldCode::InvalidCharacters);
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(FieldCode::InvalidFormat);
        };
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.contains('@') || local.chars().count() > 64 || !domain_ok {
            return Err(FieldCode::InvalidFormat);
        }
        Ok(Self(email.to_owned()))
    }

    /// Case-folded for uniqueness: nearly every provider ignores case, and
    /// two accounts differing only in case would be a support nightmare.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// The name shown next to the username: trimmed, 1–50 characters on one
/// line, with something visible in it and no bidi controls. Right-to-left
/// scripts are welcome; the override characters only serve to make a name
/// display as something else ("\u{202E}nimda" shows as "admin").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);
string_newtype!(DisplayName);

impl DisplayName {
    pub const MAX_CHARS: usize = 50;
    const RULES: text::Rules = text::Rules {
        max_chars: Self::MAX_CHARS,
        max_bytes: 4 * Self::MAX_CHARS,
        multiline: false,
    };

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        text::clean(input, Self::RULES).map(Self)
    }
}

/// A profile's few words about its user: up to
/// [`app::api::BIO_MAX_CHARS`] characters under the rules of a tweet's text
/// (newlines too), or empty: no bio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bio(String);
string_newtype!(Bio);

impl Bio {
    const RULES: text::Rules = text::Rules {
        max_chars: app::api::BIO_MAX_CHARS,
        max_bytes: 8 * app::api::BIO_MAX_CHARS,
        multiline: true,
    };

    pub fn parse(input: &str) -> Result<Self, FieldCode> {
        match text::clean(input, Self::RULES) {
            // Clearing a bio is writing none.
            Err(FieldCode::Blank) if input.trim().is_empty() => Ok(Self::default()),
            cleaned => cleaned.map(Self),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_bio_is_up_to_160_characters_of_a_tweets_text_or_nothing() {
        assert_eq!(Bio::parse("  ").unwrap(), Bio::default());
        assert_eq!(
            Bio::parse(" Rust\r\nand tea ").unwrap().as_str(),
            "Rust\nand tea"
        );
        assert_eq!(
            Bio::parse(&"é".repeat(160))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            160
        );
        assert_eq!(
            Bio::parse(&"a".repeat(161)).unwrap_err(),
            FieldCode::TooLong
        );
        assert_eq!(
            Bio::parse("\u{202E}nimda").unwrap_err(),
            FieldCode::InvalidCharacters
        );
        assert_eq!(
            Bio::parse("\u{200B}").unwrap_err(),
            FieldCode::Blank,
            "invisible"
        );
    }

    #[test]
    fn usernames_follow_the_rules_with_precise_codes() {
        assert_eq!(Username::parse("").unwrap_err(), FieldCode::Blank);
        assert_eq!(Username::parse("ab").unwrap_err(), FieldCode::TooShort);
        assert_eq!(
            Username::parse(&"a".repeat(31)).unwrap_err(),
            FieldCode::TooLong
        );
        assert_eq!(
            Username::parse("bad name").unwrap_err(),
            FieldCode::InvalidCharacters
        );
        assert_eq!(
            Username::parse("émile").unwrap_err(),
            FieldCode::InvalidCharacters
        );
        assert_eq!(Username::parse("Ada_1815").unwrap().as_str(), "Ada_1815");
        assert_eq!(Username::parse("Ada_1815").unwrap().key(), "ada_1815");
        assert!(Username::parse(&"a".repeat(30)).is_ok());
    }

    #[test]
    fn emails_are_trimmed_and_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(Email::parse("  ").unwrap_err(), FieldCode::Blank);
        assert_eq!(
            Email::parse("ada.example.com").unwrap_err(),
            FieldCode::InvalidFormat
        );
        assert_eq!(
            Email::parse("@example.com").unwrap_err(),
            FieldCode::InvalidFormat
        );
        assert_eq!(
            Email::parse("ada@localhost").unwrap_err(),
            FieldCode::InvalidFormat
        );
        assert_eq!(
            Email::parse("a@b@c.io").unwrap_err(),
            FieldCode::InvalidFormat
        );
        assert_eq!(
            Email::parse("ada lovelace@example.com").unwrap_err(),
            FieldCode::InvalidCharacters
        );
        let email = Email::parse(" Ada@Example.com ").unwrap();
        assert_eq!(email.as_str(), "Ada@Example.com");
        assert_eq!(email.key(), "ada@example.com");
    }

    #[test]
    fn display_names_are_trimmed_and_at_most_fifty_characters() {
        assert_eq!(DisplayName::parse(" \t").unwrap_err(), FieldCode::Blank);
        assert_eq!(
            DisplayName::parse("a\u{7}b").unwrap_err(),
            FieldCode::InvalidCharacters
        );
        assert_eq!(
            DisplayName::parse(&"é".repeat(51)).unwrap_err(),
            FieldCode::TooLong
        );
        assert_eq!(
            DisplayName::parse(&"é".repeat(50))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            50
        );
        assert_eq!(
            DisplayName::parse("\u{3164}\u{200B}").unwrap_err(),
            FieldCode::Blank,
            "invisible only"
        );
        assert_eq!(
            DisplayName::parse("  Ada Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn display_names_take_right_to_left_text_but_not_bidi_overrides() {
        assert_eq!(
            DisplayName::parse("עדה לאבלייס").unwrap().as_str(),
            "עדה לאבלייס"
        );
        for spoof in ["\u{202E}nimda", "ad\u{2067}min", "a\u{202A}b"] {
            assert_eq!(
                DisplayName::parse(spoof).unwrap_err(),
                FieldCode::InvalidCharacters,
                "{spoof:?}"
            );
        }
    }

    #[test]
    fn json_input_is_validated_too() {
        assert!(serde_json::from_str::<Username>(r#""no way""#).is_err());
        assert_eq!(
            serde_json::from_str::<Username>(r#""ada""#)
                .unwrap()
                .as_str(),
            "ada"
        );
    }

    proptest! {
        #[test]
        fn username_parser_never_panics_and_round_trips(input in any::<String>()) {
            if let Ok(name) = Username::parse(&input) {
                prop_assert_eq!(name.as_str(), input.as_str());
                prop_assert_eq!(Username::parse(name.as_str()), Ok(name));
            }
        }

        #[test]
        fn valid_usernames_are_accepted(input in "[A-Za-z0-9_]{3,30}") {
            prop_assert!(Username::parse(&input).is_ok());
        }

        #[test]
        fn email_parser_never_panics_and_round_trips(input in any::<String>()) {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email));
            }
        }

        #[test]
        fn plausible_emails_are_accepted(input in "[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            prop_assert!(Email::parse(&input).is_ok());
        }

        #[test]
        fn display_name_parser_never_panics_and_round_trips(input in any::<String>()) {
            if let Ok(name) = DisplayName::parse(&input) {
                prop_assert!(app::api::tweet_length(name.as_str()) <= DisplayName::MAX_CHARS);
                prop_assert_eq!(DisplayName::parse(name.as_str()), Ok(name));
            }
        }
    }
}
