//! The data a page is rendered from. The server fills it from the store and
//! renders with it; it also ships it in the page (an attribute of
//! `<meta name="chirp-page-data">`, escaped like any attribute), and the
//! browser seeds its state from that same value before hydrating. So the
//! first client render is the server's render: no second fetch, no flash,
//! no mismatch.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::types::{FormKind, TimelineKey};
use crate::api::{ErrorBody, Relationship, TweetDto, UserDto, Values};
#[cfg(not(feature = "hydrate"))]
use crate::api::{NotificationDto, Thread};

/// Name of the `<meta>` element that carries the page data.
pub const META_NAME: &str = "chirp-page-data";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// The server's clock when it rendered (RFC 3339): relative times are
    /// computed against it until the browser's clock takes over.
    pub now: String,
    /// The logged-in user (with their e-mail address), if any.
    pub user: Option<UserDto>,
    /// The `ETag` of that user, for `If-Match` on a profile update.
    pub user_etag: Option<String>,
    /// The timeline the page shows, if it shows one.
    pub timeline: Option<Timeline>,
    /// The conversation a `/t/:id` page shows, if the tweet is there. The
    /// browser reads it only on that page ([`shipped`], from its lazily
    /// loaded chunk), so its build has no such field: the main WASM holds
    /// no code for it.
    #[cfg(not(feature = "hydrate"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<Thread>,
    /// The logged-in user's notifications on `/notifications` (the browser
    /// reads them there only, as it does the thread).
    #[cfg(not(feature = "hydrate"))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<NotificationDto>,
    /// The people a `/search` page found (the browser reads them there).
    #[cfg(not(feature = "hydrate"))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<UserDto>,
    /// How many notifications the logged-in user has not read.
    #[serde(default)]
    pub unread: u64,
    /// The user a `/u/:username` page is about, if they exist (the browser
    /// reads it on that page only, as it does the thread, and hands it to
    /// the store with [`super::Action::ShowProfile`]).
    #[cfg(not(feature = "hydrate"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileCard>,
    /// Errors of a form posted without JavaScript, shown on the re-rendered
    /// page.
    pub form: Option<FormFeedback>,
    /// A form posted without JavaScript that succeeded ("Saved.").
    pub saved: Option<FormKind>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub key: TimelineKey,
    /// Newest first.
    pub tweets: Vec<TweetDto>,
    /// Whether a page older than these may exist.
    pub has_more: bool,
    /// Why it could not be loaded (e.g. no such user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// A user's card on their page: who they are, their counts, and how the
/// reader stands with them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileCard {
    /// With their follow counts.
    pub user: UserDto,
    /// `None` when the reader is logged out or is this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormFeedback {
    pub form: FormKind,
    /// What the server answered, as the JSON API would have.
    pub error: ErrorBody,
    /// What the person typed (never passwords), to fill the form again.
    #[serde(default)]
    pub values: Values,
}

impl PageData {
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&self.now)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    /// The page data the server shipped, read from the document.
    #[cfg(feature = "hydrate")]
    pub fn from_document() -> Self {
        shipped()
    }
}

/// What the server shipped, read from the document as `T`: the page data,
/// or the part of it one page reads for itself.
#[cfg(feature = "hydrate")]
pub fn shipped<T: serde::de::DeserializeOwned + Default>() -> T {
    use wasm_bindgen::JsCast;
    let content = leptos::prelude::document()
        .query_selector(&format!("meta[name=\"{META_NAME}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlMetaElement>().ok())
        .map(|meta| meta.content());
    match content.map(|json| serde_json::from_str(&json)) {
        Some(Ok(data)) => data,
        Some(Err(error)) => {
            leptos::logging::error!("unreadable page data: {error}");
            T::default()
        }
        None => T::default(),
    }
}

/// The per-page data as the app sees it: the server provides it through
/// context; the browser reads what the server shipped.
pub fn current() -> PageData {
    #[cfg(feature = "hydrate")]
    {
        PageData::from_document()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        leptos::prelude::use_context::<PageData>().unwrap_or_default()
    }
}
