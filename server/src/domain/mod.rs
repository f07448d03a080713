//! Chirp's domain: validated values, the event-sourced User aggregate and
//! tweets. Pure: no I/O, no clock, no randomness except id generation.

mod field_error;
mod fields;
mod id;
mod password;
mod time;
mod tweet;
pub mod user;

pub use field_error::FieldError;
pub use fields::{DisplayName, Email, Username};
pub use id::{Id, InvalidId};
pub use password::{Password, PasswordHash};
pub use time::Timestamp;
pub use tweet::{Tweet, TweetBody};
pub use user::{DomainError, UserEvent, UserState, Version};
