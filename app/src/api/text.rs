//! What a tweet's text holds besides words: web addresses, hashtags and
//! mentions. One scanner for the browser, which shows them as links, and
//! the server, which indexes the hashtags and notifies the mentioned, so
//! the two never disagree. Only `http://`
//! and `https://` addresses count, so a `javascript:` one stays text.

/// A piece of a tweet's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
    /// A hashtag as written, without its `#`.
    Tag(&'a str),
    /// A username as written, without its `@`.
    Mention(&'a str),
}

/// Longest hashtag, in ASCII letters, digits and `_`.
pub const TAG_MAX_CHARS: usize = 50;

/// The hashtags of `body`, lowercase, each once, in order.
pub fn hashtags(body: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for piece in pieces(body) {
        if let Piece::Tag(tag) = piece {
            let tag = tag.to_ascii_lowercase();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags
}

/// How many users one tweet can mention (and notify).
pub const MENTIONS_MAX: usize = 10;

/// The usernames `body` mentions, lowercase, each once, in order, at most
/// [`MENTIONS_MAX`].
pub fn mentions(body: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in pieces(body) {
        if let Piece::Mention(name) = piece {
            let name = name.to_ascii_lowercase();
            if !names.contains(&name) && names.len() < MENTIONS_MAX {
                names.push(name);
            }
        }
    }
    names
}

/// How many words of a search count: the rest are ignored.
pub const SEARCH_WORDS_MAX: usize = 8;

/// Longest word search knows, in characters: a longer one is no word (it
/// would only swell the index).
pub const WORD_MAX_CHARS: usize = 64;

/// The words of `text` as search finds them: runs of letters and digits
/// (any script; `_`, `#` and `@` part them, so `#Rust` is `rust`),
/// lowercase, each once, in order. SQLite's FTS5 `unicode61` tokenizer reads
/// text the same way; MongoDB stores each tweet's words so.
pub fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let words_of = text.split(|c: char| !c.is_alphanumeric());
    for word in words_of.filter(|w| !w.is_empty() && w.chars().count() <= WORD_MAX_CHARS) {
        let word = word.to_lowercase();
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// A tag as typed in an address (`/tags/Rust`), in the form
/// [`hashtags`] gives: lowercase; `None` if it could not be a hashtag.
pub fn tag_key(tag: &str) -> Option<String> {
    let tag = tag.strip_prefix('#').unwrap_or(tag);
    (tag_len(tag) == tag.len() && !tag.is_empty()).then(|| tag.to_ascii_lowercase())
}

/// `body` cut into text and addresses. An address starts at `http://` or
/// `https://` after a space, an opening bracket or the start, and runs to
/// the next space, without the punctuation that ends a sentence or the
/// bracket that closes one around it.
pub fn pieces(body: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = next_scheme(body, from) {
        let end = body[found..]
            .find(char::is_whitespace)
            .map_or(body.len(), |n| found + n);
        let end = found + trimmed_len(&body[found..end]);
        let scheme_len = if body[found..].starts_with("https://") {
            8
        } else {
            7
        };
        if end <= found + scheme_len {
            from = found + scheme_len;
            continue; // a scheme with no address after it
        }
        tagged(&body[rest..found], &mut pieces);
        pieces.push(Piece::Link(&body[found..end]));
        rest = end;
        from = end;
    }
    tagged(&body[rest..], &mut pieces);
    pieces
}

/// `text` (no addresses in it) cut into words, hashtags and mentions. A
/// hashtag is `#` after a space, punctuation or the start, then up to
/// [`TAG_MAX_CHARS`] ASCII letters, digits and `_`, not all digits, and
/// not run on into other letters (`#café` is no tag). A mention is `@`
/// and a name a username could be (3 to 30 of the same), the same way
/// (`ann@example.com` mentions nobody).
fn tagged<'a>(text: &'a str, pieces: &mut Vec<Piece<'a>>) {
    let mut rest = 0;
    for (at, mark) in text.match_indices(['#', '@']) {
        if at < rest {
            continue;
        }
        let before = text[..at].chars().next_back();
        let starts = before.is_none_or(|c| !(is_word(c) || "&#@".contains(c)));
        let name = &text[at + 1..];
        let len = tag_len(name);
        let after = name[len..].chars().next();
        let runs_on = after.is_some_and(|c| is_word(c) || c == '#' || c == '@');
        let fits = if mark == "#" {
            len > 0 && len <= TAG_MAX_CHARS && !name[..len].bytes().all(|b| b.is_ascii_digit())
        } else {
            (3..=30).contains(&len)
        };
        if !starts || !fits || runs_on {
            continue;
        }
        if rest < at {
            pieces.push(Piece::Text(&text[rest..at]));
        }
        pieces.push(if mark == "#" {
            Piece::Tag(&name[..len])
        } else {
            Piece::Mention(&name[..len])
        });
        rest = at + 1 + len;
    }
    if rest < text.len() {
        pieces.push(Piece::Text(&text[rest..]));
    }
}

/// A letter, digit or `_` of any script: any non-ASCII character counts as
/// one, which keeps Unicode's tables out of the WASM and still reads
/// `#café` as no tag.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()
}

/// How many bytes of `text`'s start could be a hashtag's name.
fn tag_len(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

/// Where the next address starts at or after `from`.
fn next_scheme(body: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + body[at..].find("http")?;
        let scheme = body[found..].starts_with("https://") || body[found..].starts_with("http://");
        let boundary = body[..found]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([{<\"'".contains(c));
        if scheme && boundary {
            return Some(found);
        }
        at = found + 4;
    }
}

/// The address without what follows it in the sentence: trailing
/// `.,;:!?'"` and a closing bracket it did not open.
fn trimmed_len(address: &str) -> usize {
    let mut end = address.len();
    while let Some(last) = address[..end].chars().next_back() {
        let unmatched_close = last == ')'
            && address[..end].matches('(').count() < address[..end].matches(')').count();
        if ".,;:!?'\"".contains(last) || unmatched_close {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::{hashtags, mentions, pieces, tag_key, Piece::*};

    #[test]
    fn addresses_become_links_without_the_sentences_punctuation() {
        assert_eq!(
            pieces("Read https://example.com/a?b=1. Then (see http://x.org/y_(z)) ok"),
            [
                Text("Read "),
                Link("https://example.com/a?b=1"),
                Text(". Then (see "),
                Link("http://x.org/y_(z)"),
                Text(") ok"),
            ]
        );
        assert_eq!(pieces("https://a.b"), [Link("https://a.b")]);
    }

    #[test]
    fn nothing_else_becomes_a_link() {
        for text in [
            "plain words",
            "javascript:alert(1)",
            "xhttps://glued.example",
            "https:// nothing after",
            "say http",
            "",
        ] {
            let all_text = pieces(text).iter().all(|p| matches!(p, Text(_)));
            assert!(all_text, "{text:?}: {:?}", pieces(text));
        }
        assert_eq!(pieces("héllo wörld"), [Text("héllo wörld")]);
    }

    #[test]
    fn hashtags_are_words_after_a_hash_counted_once_in_lowercase() {
        assert_eq!(
            pieces("Hello #Rust and #rust_lang!"),
            [
                Text("Hello "),
                Tag("Rust"),
                Text(" and "),
                Tag("rust_lang"),
                Text("!")
            ]
        );
        assert_eq!(
            hashtags("#Rust #rust (#WASM) https://x.org/#frag"),
            ["rust", "wasm"]
        );
        for none in ["#", "#1", "a#b", "&#39;", "#café", "C#", "##", "#a#b"] {
            assert!(hashtags(none).is_empty(), "{none:?}: {:?}", pieces(none));
        }
        assert_eq!(
            hashtags(&format!("#{}", "a".repeat(51))),
            Vec::<String>::new()
        );
        assert_eq!(hashtags("#2026goals"), ["2026goals"]);
    }

    #[test]
    fn mentions_are_usernames_after_an_at_counted_once_in_lowercase() {
        assert_eq!(
            pieces("Hi @Bob_1, and @ann!"),
            [
                Text("Hi "),
                Mention("Bob_1"),
                Text(", and "),
                Mention("ann"),
                Text("!")
            ]
        );
        assert_eq!(mentions("@bob @BOB (@cyd) #ann"), ["bob", "cyd"]);
        for none in ["ann@example.com", "@ab", "@", "@@bob", "@bob@x", "@bobé"] {
            assert!(mentions(none).is_empty(), "{none:?}: {:?}", pieces(none));
        }
        assert!(mentions(&format!("@{}", "a".repeat(31))).is_empty());
        let many: String = (0..12).map(|n| format!("@user{n} ")).collect();
        assert_eq!(mentions(&many).len(), super::MENTIONS_MAX);
    }

    #[test]
    fn search_words_are_letters_and_digits_in_lowercase_each_once() {
        assert_eq!(
            super::words("Tea, #Tea and rust_lang @Bob café 2026!"),
            ["tea", "and", "rust", "lang", "bob", "café", "2026"]
        );
        assert!(super::words(" ,.#@ ").is_empty());
        assert!(
            super::words(&"a".repeat(65)).is_empty(),
            "too long to be a word"
        );
    }

    #[test]
    fn a_tag_in_an_address_is_read_as_the_hashtag_it_names() {
        assert_eq!(tag_key("Rust").as_deref(), Some("rust"));
        assert_eq!(tag_key("#rust").as_deref(), Some("rust"));
        assert_eq!(tag_key("no spaces"), None);
        assert_eq!(tag_key(""), None);
    }
}
