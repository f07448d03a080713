//! A tweet's text as the page shows it: web addresses as links with
//! `rel="nofollow noopener ugc"` (a user's link, to search engines; and the
//! opened page cannot reach back into Chirp's), hashtags as links to their
//! timelines.

use leptos::prelude::*;

use crate::api::text::{pieces, Piece};

#[component]
pub fn TweetText(body: String) -> impl IntoView {
    let views: Vec<AnyView> = pieces(&body)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_string().into_any(),
            Piece::Tag(tag) => view! {
                <a href=format!("/tags/{}", tag.to_ascii_lowercase()) class="tweet-tag">
                    "#"
                    {tag.to_string()}
                </a>
            }
            .into_any(),
            Piece::Link(url) => view! {
                <a href=url.to_string() rel="nofollow noopener ugc" class="tweet-link">
                    {url.to_string()}
                </a>
            }
            .into_any(),
        })
        .collect();
    view! { <p class="tweet-body">{views}</p> }.into_any()
}
