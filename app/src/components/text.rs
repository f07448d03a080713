//! A tweet's text as the page shows it: web addresses as links with
//! `rel="nofollow noopener ugc"` (a user's link, to search engines; and the
//! opened page cannot reach back into Chirp's), hashtags as links to their
//! timelines, mentions of users as links to their profiles.
//!
//! The text becomes one HTML string, escaped here, set as the paragraph's
//! `inner_html`: a view per piece (each erased to an `AnyView`) made the
//! main WASM chunk about 10 KB heavier gzipped, over the page-weight
//! budget; and hydration has nothing to walk inside the paragraph.

use leptos::prelude::*;

use crate::api::text::{pieces, Piece};

/// `mentions`: the users it mentions who were there when it was posted
/// (lowercase); a mention of anyone else stays text.
#[component]
pub fn TweetText(body: String, mentions: Vec<String>) -> impl IntoView {
    view! { <p class="tweet-body" inner_html=to_html(&body, &mentions)></p> }
}

/// `body` as escaped HTML, with its addresses, hashtags and the mentions
/// of `mentioned` users as links.
pub fn to_html(body: &str, mentioned: &[String]) -> String {
    let mut html = String::with_capacity(body.len() + 16);
    for piece in pieces(body) {
        match piece {
            Piece::Text(text) => escape(text, &mut html),
            Piece::Tag(tag) => {
                html.push_str("<a href=\"/tags/");
                html.push_str(&tag.to_ascii_lowercase());
                html.push_str("\" class=\"tweet-tag\">#");
                html.push_str(tag);
                html.push_str("</a>");
            }
            Piece::Mention(name) => {
                let key = name.to_ascii_lowercase();
                if mentioned.contains(&key) {
                    html.push_str("<a href=\"/u/");
                    html.push_str(&key);
                    html.push_str("\" class=\"tweet-mention\" rel=\"external\">@");
                    html.push_str(name);
                    html.push_str("</a>");
                } else {
                    html.push('@');
                    html.push_str(name);
                }
            }
            Piece::Link(url) => {
                html.push_str("<a href=\"");
                escape(url, &mut html);
                html.push_str("\" rel=\"nofollow noopener ugc\" class=\"tweet-link\">");
                escape(url, &mut html);
                html.push_str("</a>");
            }
        }
    }
    html
}

/// Text made safe both between tags and inside a quoted attribute.
fn escape(text: &str, html: &mut String) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn only_a_mention_of_someone_who_is_there_is_a_link() {
        assert_eq!(
            to_html("@Bob and @nobody", &["bob".into()]),
            "<a href=\"/u/bob\" class=\"tweet-mention\" rel=\"external\">@Bob</a> and @nobody"
        );
    }

    #[test]
    fn text_is_escaped_and_links_are_made_only_from_addresses_and_hashtags() {
        assert_eq!(
            to_html(r#"<script>alert("x")</script> & 'y'"#, &[]),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(
            to_html("Hi #Rust https://e.com/a?b=1&c=\"2\".", &[]),
            "Hi <a href=\"/tags/rust\" class=\"tweet-tag\">#Rust</a> \
             <a href=\"https://e.com/a?b=1&amp;c=&quot;2\" rel=\"nofollow noopener ugc\" \
             class=\"tweet-link\">https://e.com/a?b=1&amp;c=&quot;2</a>&quot;."
        );
    }
}
