//! Request and response bodies. Field names follow the original service
//! (`tweetedby`, `timestamp`, `user_list`, `tweets_list`, `api_version`) so its
//! clients keep working. Ids are strings: they are 64-bit and JavaScript
//! numbers are not. Times are RFC 3339 in UTC, e.g. `2026-11-26T20:12:00Z`.
//!
//! Request bodies reject unknown fields, so a typo is a 422, never ignored.

use serde::{Deserialize, Serialize};

/// A user as anyone may see them. `email` is present only when the user is
/// the one asking (sign-up, `GET /api/v1/auth/me`, their own `GET`/`PUT`).
/// There is no password field, and no way to get one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserDto {
    pub id: String,
    pub username: String,
    pub name: String,
    /// A few words about them (absent: none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bio: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// How many this user follows and is followed by: on a user's own
    /// `GET /api/v1/users/{id}`, not in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<FollowCounts>,
}

/// How the logged-in user and another stand (`GET
/// /api/v1/users/{id}/relationships/{target}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Relationship {
    pub following: bool,
    pub followed_by: bool,
    pub blocking: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FollowCounts {
    pub following: u64,
    pub followers: u64,
}

/// `GET /api/v1/users`, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserList {
    pub user_list: Vec<UserDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TweetDto {
    pub id: String,
    pub body: String,
    /// The author's username.
    pub tweetedby: String,
    pub timestamp: String,
    /// How many like it.
    #[serde(default)]
    pub likes: u64,
    /// Whether the logged-in reader likes it (absent: no, or logged out).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub liked: bool,
    /// How many repost it.
    #[serde(default)]
    pub reposts: u64,
    /// Whether the logged-in reader reposted it (absent: no, or logged out).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reposted: bool,
    /// On a home timeline, the username of who you follow that reposted
    /// it (absent: it is there as itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reposted_by: Option<String>,
    /// The id of that repost: the timeline's order and its `max_id`
    /// cursor (absent with `reposted_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repost_id: Option<String>,
    /// The id of the tweet this one answers (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    /// How many replies it has.
    #[serde(default)]
    pub replies: u64,
    /// The users it mentions who were there when it was posted, by
    /// lowercase username: their `@mentions` are links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
}

/// `GET /api/v2/tweets/{id}/thread`: a tweet in its conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Thread {
    /// The tweets it answers, the first of the conversation first.
    pub ancestors: Vec<ThreadItem>,
    pub tweet: TweetDto,
    /// Its replies, oldest first (the next ones: `Link`).
    pub replies: Vec<TweetDto>,
}

/// One tweet above another in its thread: there, deleted, or hidden from
/// the reader (a block).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ThreadItem {
    pub id: String,
    /// Absent when it was deleted or is hidden from you.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tweet: Option<TweetDto>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `GET /api/v2/tweets`, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TweetList {
    pub tweets_list: Vec<TweetDto>,
}

/// `POST /api/v1/users`: sign up. On success the new user is logged in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    /// 3 to 30 ASCII letters, digits or `_`; unique ignoring case.
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 3, max_length = 30, pattern = "^[A-Za-z0-9_]+$")
    )]
    pub username: String,
    /// Unique ignoring case.
    #[cfg_attr(feature = "ssr", schema(format = "email", max_length = 254))]
    pub email: String,
    /// Display name, 1 to 50 characters; the username when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 50))]
    pub name: Option<String>,
    /// 8 characters to 72 bytes (bcrypt reads no more than 72).
    #[cfg_attr(feature = "ssr", schema(min_length = 8, max_length = 72))]
    pub password: String,
}

/// `PUT /api/v1/users/{id}`: change any of name, e-mail and password. A new
/// password needs `current_password`. Send the `ETag` of the user you read
/// as `If-Match`, so a concurrent change is not overwritten (412).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 50))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(format = "email", max_length = 254))]
    pub email: Option<String>,
    /// Up to 160 characters counted as a tweet's; empty clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(max_length = 1280))]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(min_length = 8, max_length = 72))]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

/// `DELETE /api/v1/users` (the original form): names the user to delete,
/// which must be the logged-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteUser {
    pub username: String,
}

/// `POST /api/v2/tweets`. The author is the logged-in user; `tweetedby` is
/// accepted for the original clients but must then name that same user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTweet {
    /// 1 to 280 characters as [`crate::api::tweet_length`] counts them.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 280))]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tweetedby: Option<String>,
    /// The id of the tweet this one answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[1-9][0-9]{0,18}$"))]
    pub in_reply_to: Option<String>,
}

/// `POST /api/v1/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// One API release, as `GET /api/v1/info` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiRelease {
    pub version: String,
    pub buildtime: String,
    #[serde(default)]
    pub links: String,
    #[serde(default)]
    pub methods: String,
}

/// `GET /api/v1/info`: the releases, plus the limits the client should
/// enforce the same way the server does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiInfo {
    pub api_version: Vec<ApiRelease>,
    pub limits: Limits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Limits {
    /// See [`crate::api::tweet_length`].
    pub tweet_max_chars: usize,
    pub page_max: u32,
}

/// What a notification tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// `actor` follows you.
    Follow,
    /// `actor` likes your `tweet`.
    Like,
    /// `tweet` is `actor`'s reply to yours.
    Reply,
    /// `tweet` is `actor`'s and mentions you.
    Mention,
    /// `actor` reposted your `tweet`.
    Repost,
}

impl NotificationKind {
    const ALL: [Self; 5] = [
        Self::Follow,
        Self::Like,
        Self::Reply,
        Self::Mention,
        Self::Repost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Follow => "follow",
            Self::Like => "like",
            Self::Reply => "reply",
            Self::Mention => "mention",
            Self::Repost => "repost",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// What a reader may do to a tweet and undo: like it, repost it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reaction {
    Like,
    Repost,
}

impl Reaction {
    /// Its name in paths (`/api/v2/tweets/{id}/repost`, `/t/{id}/like`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Like => "like",
            Self::Repost => "repost",
        }
    }

    /// What it tells the tweet's author.
    pub fn notification(self) -> NotificationKind {
        match self {
            Self::Like => NotificationKind::Like,
            Self::Repost => NotificationKind::Repost,
        }
    }
}

impl TweetDto {
    /// How many `reaction` it has, and whether the reader's is one.
    pub fn reaction(&self, reaction: Reaction) -> (u64, bool) {
        match reaction {
            Reaction::Like => (self.likes, self.liked),
            Reaction::Repost => (self.reposts, self.reposted),
        }
    }

    /// Turns the reader's `reaction` over; whether they have it now.
    pub fn flip(&mut self, reaction: Reaction) -> bool {
        let (count, mine) = match reaction {
            Reaction::Like => (&mut self.likes, &mut self.liked),
            Reaction::Repost => (&mut self.reposts, &mut self.reposted),
        };
        *mine = !*mine;
        *count = if *mine {
            *count + 1
        } else {
            count.saturating_sub(1)
        };
        *mine
    }

    /// Where it stands in its timeline: its repost's id there, else its own.
    pub fn cursor(&self) -> &str {
        self.repost_id.as_deref().unwrap_or(&self.id)
    }
}

/// Something another user did that concerns you.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationDto {
    pub id: String,
    pub kind: NotificationKind,
    /// The username of who did it.
    pub actor: String,
    /// The tweet liked, or the reply or mention itself (absent for a
    /// follow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tweet: Option<TweetDto>,
    pub timestamp: String,
    pub read: bool,
}

/// `GET /api/v2/notifications`, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub notifications: Vec<NotificationDto>,
}

/// `GET /api/v2/notifications/unread`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unread {
    pub unread: u64,
}

/// `POST /api/v2/notifications/read`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The newest notification read (absent: all of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[1-9][0-9]{0,18}$"))]
    pub up_to: Option<String>,
}
