//! The rules every piece of text people write shares (tweets, bios, display
//! names): what may be in it and how big it may be.
//!
//! Length is counted in grapheme clusters, as a person counts characters
//! ([`app::api::tweet_length`], which the browser's counter uses too). A cluster can hide any number of code points (a letter with
//! thousands of combining marks is one "character"), so a text is also
//! bounded in bytes and in code points per cluster.

use app::api::FieldCode;
use unicode_segmentation::UnicodeSegmentation;

/// Limits of one kind of text.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub max_chars: usize,
    pub max_bytes: usize,
    /// Newlines allowed (tweets, bios) or not (names).
    pub multiline: bool,
}

/// More code points than this in one cluster is stacked marks ("Zalgo"),
/// not writing: the longest emoji sequences (families, flags of regions,
/// kisses with skin tones) use up to ten.
const MAX_CODE_POINTS_PER_CLUSTER: usize = 16;

/// The text as stored: CRLF made LF (form posts send CRLF), trimmed, and
/// checked against `rules`.
pub fn clean(input: &str, rules: Rules) -> Result<String, FieldCode> {
    let text = input.replace("\r\n", "\n");
    let text = text.trim();
    if !text.chars().any(is_visible) {
        return Err(FieldCode::Blank);
    }
    if text
        .chars()
        .any(|c| (c.is_control() && !(rules.multiline && c == '\n')) || is_bidi_control(c))
    {
        return Err(FieldCode::InvalidCharacters);
    }
    if text.len() > rules.max_bytes {
        return Err(FieldCode::TooLong);
    }
    if text
        .graphemes(true)
        .any(|cluster| cluster.chars().count() > MAX_CODE_POINTS_PER_CLUSTER)
    {
        return Err(FieldCode::InvalidCharacters);
    }
    if app::api::tweet_length(text) > rules.max_chars {
        return Err(FieldCode::TooLong);
    }
    Ok(text.to_owned())
}

/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
/// the marks that steer them (U+200E, U+200F, U+061C): they make text
/// display as something else ("\u{202E}nimda" shows as "admin", a reversed
/// URL spoofs another). Right-to-left scripts need none of them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` shows as something: not a space, not one of the
/// zero-width or filler characters that render as nothing (a name made of
/// U+200B or the Hangul filler U+3164 looks empty).
fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        ))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const RULES: Rules = Rules {
        max_chars: 10,
        max_bytes: 40,
        multiline: true,
    };

    #[test]
    fn text_made_only_of_invisible_characters_is_blank() {
        for invisible in ["\u{200B}\u{200B}", "\u{3164}", " \u{FEFF} ", "\u{2060}"] {
            assert_eq!(
                clean(invisible, RULES),
                Err(FieldCode::Blank),
                "{invisible:?}"
            );
        }
        assert_eq!(clean("a\u{200B}b", RULES).unwrap(), "a\u{200B}b");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_refused_but_right_to_left_text_is_welcome() {
        for spoof in ["\u{202E}lmth.exe", "a\u{2067}b", "x\u{200F}"] {
            assert_eq!(clean(spoof, RULES), Err(FieldCode::InvalidCharacters));
        }
        assert_eq!(clean("שלום", RULES).unwrap(), "שלום");
    }

    #[test]
    fn one_letter_with_thousands_of_combining_marks_is_refused() {
        let zalgo = format!("Z{}", "\u{301}".repeat(5000));
        let rules = Rules {
            max_bytes: 100_000,
            ..RULES
        };
        assert_eq!(clean(&zalgo, rules), Err(FieldCode::InvalidCharacters));
        // Real writing stacks a few marks, and emoji sequences a few more.
        assert!(clean("e\u{301}\u{323}", RULES).is_ok());
        assert!(clean("👩🏻\u{200D}❤\u{FE0F}\u{200D}💋\u{200D}👨🏼", rules).is_ok());
    }

    #[test]
    fn length_is_bounded_in_clusters_and_in_bytes() {
        assert!(clean(&"é".repeat(10), RULES).is_ok());
        assert_eq!(clean(&"é".repeat(11), RULES), Err(FieldCode::TooLong));
        // Ten clusters, but 41 bytes.
        assert_eq!(
            clean(
                &format!("{}{}", "👍🏽".repeat(5), "x"),
                Rules {
                    max_bytes: 40,
                    ..RULES
                }
            ),
            Err(FieldCode::TooLong)
        );
    }

    #[test]
    fn newlines_only_where_the_text_is_multiline() {
        assert_eq!(clean("a\r\nb", RULES).unwrap(), "a\nb");
        let single = Rules {
            multiline: false,
            ..RULES
        };
        assert_eq!(clean("a\nb", single), Err(FieldCode::InvalidCharacters));
        assert_eq!(clean("tab\there", RULES), Err(FieldCode::InvalidCharacters));
    }

    proptest! {
        #[test]
        fn cleaning_never_panics_and_cleaned_text_cleans_to_itself(input in any::<String>()) {
            if let Ok(text) = clean(&input, RULES) {
                prop_assert!(text.len() <= RULES.max_bytes);
                prop_assert_eq!(clean(&text, RULES), Ok(text.clone()));
            }
        }
    }
}
