//! Chirp's domain: validated values, the event-sourced User aggregate and
//! tweets. Pure: no I/O, no clock, no randomness except id generation.
//!
//! A validated type can only hold a valid value. `parse` checks input from
//! people and answers with the API's [`app::api::FieldCode`]; `from_stored`
//! rebuilds a value a store wrote after it was parsed, so tightening a rule
//! later cannot make existing data unreadable.

mod fields;
mod id;
mod password;
mod text;
mod time;
mod tweet;
pub mod user;

pub use fields::{Bio, DisplayName, Email, Username};
pub use id::{Id, InvalidId, MAX_NODE};
pub use password::{Password, PasswordHash};
pub use time::Timestamp;
pub use tweet::{Tweet, TweetBody};
pub use user::{User, UserCommand, UserEvent, Version};

/// The accessors and conversions every validated string type shares.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A value that was valid when it was stored.
            pub fn from_stored(value: impl Into<String>) -> Self {
                Self(value.into())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = app::api::FieldCode;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}
pub(crate) use string_newtype;
