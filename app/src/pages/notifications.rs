//! `/notifications`: what others did that concerns you, newest first, the
//! unread ones marked, and "Mark all as read" (a form, with or without the
//! WASM).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{NotificationDto, NotificationKind},
    components::{text::TweetText, tweet::Avatar},
    flux::{page_data, use_session},
    pages::account::LoggedOutNotice,
};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let session = use_session();
    let list = shipped_notifications();
    let newest = list.first().map(|n| n.id.clone()).unwrap_or_default();
    let any_unread = list.iter().any(|n| !n.read);
    let empty = list.is_empty();
    view! {
        <Title text="Notifications" />
        <Show
            when=move || session.logged_in()
            fallback=|| view! { <LoggedOutNotice what="see your notifications" /> }
        >
            <h1 class="page-title">"Notifications"</h1>
            <form method="post" action="/notifications" class="page-title" class:hidden=!any_unread>
                <input type="hidden" name="up_to" value=newest.clone() />
                <button type="submit" class="button secondary">
                    "Mark all as read"
                </button>
            </form>
            <ol class="tweets notifications" aria-label="Notifications">
                {list.clone().into_iter().map(item).collect_view()}
            </ol>
            <p class="card empty" class:hidden=!empty>
                "Nothing yet. When someone follows you, likes, answers or mentions your tweets, you'll see it here."
            </p>
        </Show>
    }
    .into_any()
}

/// One notification: who, what, and the tweet it is about.
fn item(n: NotificationDto) -> impl IntoView {
    let what = match n.kind {
        NotificationKind::Follow => "followed you",
        NotificationKind::Like => "liked your tweet",
        NotificationKind::Reply => "replied to your tweet",
        NotificationKind::Mention => "mentioned you",
        NotificationKind::Repost => "reposted your tweet",
    };
    let tweet = n.tweet.map(|tweet| {
        view! {
            <a href=format!("/t/{}", tweet.id) class="permalink" rel="external">
                "Open the tweet"
            </a>
            <TweetText body=tweet.body mentions=tweet.mentions />
        }
    });
    let actor = n.actor;
    view! {
        <li class="tweet card notification" class:unread=!n.read>
            <Avatar name=actor.clone() />
            <div class="tweet-main">
                <p class="tweet-meta">
                    <a href=format!("/u/{actor}") class="author" rel="external">
                        {actor.clone()}
                    </a>
                    " "
                    {what}
                    {(!n.read).then(|| view! { <span class="badge">"new"</span> })}
                </p>
                {tweet}
            </div>
        </li>
    }
}

/// The notifications the server rendered the page with.
fn shipped_notifications() -> Vec<NotificationDto> {
    #[cfg(feature = "hydrate")]
    {
        #[derive(Default, serde::Deserialize)]
        struct Shipped {
            #[serde(default)]
            notifications: Vec<NotificationDto>,
        }
        page_data::shipped::<Shipped>().notifications
    }
    #[cfg(not(feature = "hydrate"))]
    {
        page_data::current().notifications
    }
}
