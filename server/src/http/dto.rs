//! From domain values to the API's wire types (`app::api`), for the REST
//! handlers and the pages alike. The only place a `User` becomes JSON, so
//! the password hash cannot slip out.

use app::api::{NotificationDto, Thread, ThreadItem, TweetDto, UserDto};
use axum::http::HeaderValue;

use crate::{
    domain::{Id, User},
    services::{Above, Conversation},
    store::{AuthoredTweet, Notification, Reactions},
};

/// `email` only when `is_self`: addresses are private to their owner.
pub fn user(user: &User, is_self: bool) -> UserDto {
    UserDto {
        id: user.id.to_string(),
        username: user.username.to_string(),
        name: user.name.to_string(),
        bio: user.bio.to_string(),
        created_at: user.created_at.to_rfc3339(),
        email: is_self.then(|| user.email.to_string()),
        follows: None,
    }
}

pub fn tweet(authored: &AuthoredTweet) -> TweetDto {
    TweetDto {
        id: authored.tweet.id.to_string(),
        body: authored.tweet.body.to_string(),
        tweetedby: authored.author.to_string(),
        timestamp: authored.tweet.created_at.to_rfc3339(),
        likes: authored.likes,
        liked: false,
        reposts: authored.reposts,
        reposted: false,
        reposted_by: authored.repost.as_ref().map(|r| r.by.to_string()),
        repost_id: authored.repost.as_ref().map(|r| r.id.to_string()),
        in_reply_to: authored.tweet.in_reply_to.map(|id| id.to_string()),
        replies: authored.replies,
        mentions: authored.tweet.mentions.iter().map(|m| m.key()).collect(),
    }
}

pub fn notification(n: &Notification) -> NotificationDto {
    NotificationDto {
        id: n.id.to_string(),
        kind: n.kind,
        actor: n.actor.to_string(),
        tweet: n.tweet.as_ref().map(tweet),
        timestamp: n.at.to_rfc3339(),
        read: n.read,
    }
}

/// `tweet` as a reader with `mine` sees it.
fn seen(authored: &AuthoredTweet, mine: &Reactions) -> TweetDto {
    let id = authored.tweet.id;
    TweetDto {
        liked: mine.liked.contains(&id),
        reposted: mine.reposted.contains(&id),
        ..tweet(authored)
    }
}

/// `conversation` as a reader with `mine` sees it.
pub fn thread(conversation: &Conversation, mine: &Reactions) -> Thread {
    let shown = |t: &AuthoredTweet| seen(t, mine);
    let gone = |id: &Id, deleted| ThreadItem {
        id: id.to_string(),
        tweet: None,
        deleted,
    };
    Thread {
        ancestors: conversation
            .ancestors
            .iter()
            .map(|above| match above {
                Above::Tweet(t) => ThreadItem {
                    id: t.tweet.id.to_string(),
                    tweet: Some(shown(t)),
                    deleted: false,
                },
                Above::Deleted(id) => gone(id, true),
                Above::Hidden(id) => gone(id, false),
            })
            .collect(),
        tweet: shown(&conversation.tweet),
        replies: conversation.replies.iter().map(shown).collect(),
    }
}

/// `tweets` as a reader with `mine` sees them.
pub fn tweets_seen(tweets: &[AuthoredTweet], mine: &Reactions) -> Vec<TweetDto> {
    tweets.iter().map(|t| seen(t, mine)).collect()
}

/// The user's revision as a strong `ETag`.
pub fn etag(user: &User) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", user.revision.get())).expect("digits and quotes")
}
