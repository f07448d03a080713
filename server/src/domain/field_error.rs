//! Why a value was rejected, as a stable snake_case code the API can put in
//! an error's `details` and the frontend can translate.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldError {
    /// Empty, or only whitespace.
    Blank,
    TooShort,
    TooLong,
    /// A character outside the allowed set (e.g. a control character).
    InvalidCharacters,
    /// Allowed characters in a shape that is not allowed (e.g. an email
    /// without a domain).
    InvalidFormat,
}

impl FieldError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Blank => "blank",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::InvalidCharacters => "invalid_characters",
            Self::InvalidFormat => "invalid_format",
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for FieldError {}
