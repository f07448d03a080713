//! The pages' HTML forms, for browsers without WASM: each posts
//! form-encoded to its page's own address; the handler calls the same
//! service the enhanced form reaches through the JSON API, then redirects
//! (303, so a reload does not post again) or renders the page again with
//! the refusal and what was typed.

use app::{
    api::{LoginRequest, NewTweet, Reaction, SignUp, UpdateUser, Values},
    flux::{FormFeedback, FormKind, RelationChange},
};
use axum::{
    extract::{FromRequestParts, Path, Request, State},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;

use super::{failure_page, page, View};
use crate::{
    domain::Username,
    error::Error,
    http::{
        cookies,
        extract::{ClientIp, MaybeUser},
        middleware::BodyTooLarge,
        BODY_LIMIT,
    },
    services::SignedIn,
    AppState,
};

/// One form post: who sent it, and the request's head (to render its page
/// again).
struct Post {
    parts: Parts,
    me: Option<SignedIn>,
    client: std::net::IpAddr,
    values: Values,
}

impl Post {
    /// Reads a post to `view`'s `form`; a body that cannot be read (over
    /// the limit: 413, cut off: 400) renders the page with why.
    async fn read(
        state: &AppState,
        request: Request,
        view: View,
        form: FormKind,
    ) -> Result<(Self, Values), Response> {
        let (mut parts, body) = request.into_parts();
        let me = MaybeUser::from_request_parts(&mut parts, state)
            .await
            .map_err(failure_page)?
            .0;
        let client = ClientIp::from_request_parts(&mut parts, state)
            .await
            .map_err(failure_page)?
            .0;
        // Read already, within its limits, by the `read_body` layer.
        let too_large = parts.extensions.get::<BodyTooLarge>().is_some();
        let read = axum::body::to_bytes(body, BODY_LIMIT).await;
        let mut post = Self {
            parts,
            me,
            client,
            values: Values::default(),
        };
        match read {
            Ok(bytes) if !too_large => {
                post.values = form_urlencoded::parse(&bytes).into_owned().collect();
                let values = post.values.clone();
                Ok((post, values))
            }
            _ => {
                let error = if too_large {
                    Error::PayloadTooLarge
                } else {
                    Error::Malformed("could not read the form".into())
                };
                Err(post.refused(state, view, form, error, &[]).await)
            }
        }
    }

    /// Renders `view` again with `error`, keeping what was typed in `keep`
    /// (never a password).
    async fn refused(
        self,
        state: &AppState,
        view: View,
        form: FormKind,
        error: Error,
        keep: &[&str],
    ) -> Response {
        if error.status().is_server_error() {
            return failure_page(error);
        }
        let kept = keep
            .iter()
            .map(|name| (name.to_string(), self.values.get(name)))
            .collect();
        let status = error.status();
        let feedback = FormFeedback {
            form,
            error: error.into_body(),
            values: kept,
        };
        page(
            state,
            self.parts,
            self.me.as_ref(),
            view,
            Some((status, feedback)),
        )
        .await
    }

    /// Renders a refusal as the page at `path`, for a form that posts to
    /// an address of its own (`/u/ann/follow` refused shows `/u/ann`).
    fn shown_at(mut self, path: &str) -> Self {
        if let Ok(uri) = path.parse() {
            self.parts.uri = uri;
        }
        self
    }

    fn jar(&self) -> CookieJar {
        CookieJar::from_headers(&self.parts.headers)
    }
}

/// Post/Redirect/Get, with the session cookie `jar` says.
fn see_other(to: &str, jar: Option<CookieJar>) -> Response {
    let location = [(header::LOCATION, to.to_string())];
    match jar {
        Some(jar) => (StatusCode::SEE_OTHER, location, jar).into_response(),
        None => (StatusCode::SEE_OTHER, location).into_response(),
    }
}

/// Reads the post or returns the page that says why it could not be read.
macro_rules! read_post {
    ($state:expr, $request:expr, $view:expr, $form:expr) => {
        match Post::read(&$state, $request, $view, $form).await {
            Ok(read) => read,
            Err(response) => return response,
        }
    };
}

pub(super) async fn tweet(State(state): State<AppState>, request: Request) -> Response {
    let (post, values) = read_post!(state, request, View::Home, FormKind::Tweet);
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    let input = NewTweet {
        body: values.get("body"),
        tweetedby: None,
        in_reply_to: None,
    };
    match state.tweets.post(&me, &input).await {
        Ok(_) => see_other("/", None),
        Err(Error::Unauthorized) => see_other("/login", None),
        Err(error) => {
            post.refused(&state, View::Home, FormKind::Tweet, error, &["body"])
                .await
        }
    }
}

/// `/t/:id`: a reply, then back to the thread.
pub(super) async fn reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let view = View::Thread(id.clone());
    let (post, values) = read_post!(state, request, view.clone(), FormKind::Tweet);
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    let input = NewTweet {
        body: values.get("body"),
        tweetedby: None,
        in_reply_to: Some(id.clone()),
    };
    match state.tweets.post(&me, &input).await {
        Ok(_) => see_other(&format!("/t/{id}"), None),
        Err(Error::Unauthorized) => see_other("/login", None),
        Err(error) => {
            post.refused(&state, view, FormKind::Tweet, error, &["body"])
                .await
        }
    }
}

/// `/notifications`: marks them read up to the newest the page showed.
pub(super) async fn mark_read(State(state): State<AppState>, request: Request) -> Response {
    let (post, values) = read_post!(state, request, View::Notifications, FormKind::Tweet);
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    // The newest shown, so one that arrived meanwhile stays unread.
    let up_to = values.non_empty("up_to").and_then(|id| id.parse().ok());
    match state.notifications.mark_read(&me, up_to).await {
        Ok(()) => see_other("/notifications", None),
        Err(error) => {
            post.refused(&state, View::Notifications, FormKind::Tweet, error, &[])
                .await
        }
    }
}

pub(super) async fn log_in(State(state): State<AppState>, request: Request) -> Response {
    let (post, values) = read_post!(state, request, View::LogIn, FormKind::LogIn);
    let input = LoginRequest::from(&values);
    let previous = post.me.as_ref().map(|me| me.session);
    match state.accounts.log_in(&input, post.client, previous).await {
        Ok((_, token)) => {
            let jar = cookies::with_session(post.jar(), &state.config, &token);
            see_other("/", Some(jar))
        }
        Err(error) => {
            post.refused(&state, View::LogIn, FormKind::LogIn, error, &["username"])
                .await
        }
    }
}

pub(super) async fn sign_up(State(state): State<AppState>, request: Request) -> Response {
    let (post, values) = read_post!(state, request, View::SignUp, FormKind::SignUp);
    let input = SignUp::from_form(&values);
    let previous = post.me.as_ref().map(|me| me.session);
    match state.accounts.sign_up(&input, post.client, previous).await {
        Ok((_, token)) => {
            let jar = cookies::with_session(post.jar(), &state.config, &token);
            see_other("/", Some(jar))
        }
        Err(error) => {
            let keep = ["username", "email", "name"];
            post.refused(&state, View::SignUp, FormKind::SignUp, error, &keep)
                .await
        }
    }
}

pub(super) async fn profile(State(state): State<AppState>, request: Request) -> Response {
    let (post, values) = read_post!(state, request, View::Profile, FormKind::Profile);
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    let input = UpdateUser::from_form(&values, &crate::http::dto::user(&me.user, true));
    // The revision the form was rendered from, so a change made meanwhile
    // elsewhere is not overwritten (412).
    let if_match = values
        .non_empty("etag")
        .and_then(|etag| etag.trim_matches('"').parse().ok())
        .map(crate::domain::Version::new);
    match state
        .accounts
        .update(&me, me.user.id, if_match, &input, post.client)
        .await
    {
        Ok((_, rotated)) => {
            let jar = rotated.map(|token| cookies::with_session(post.jar(), &state.config, &token));
            see_other("/profile?saved=1", jar)
        }
        Err(error) => {
            let keep = ["name", "email", "bio"];
            post.refused(&state, View::Profile, FormKind::Profile, error, &keep)
                .await
        }
    }
}

pub(super) async fn log_out(State(state): State<AppState>, request: Request) -> Response {
    let (post, _) = read_post!(state, request, View::LogOut, FormKind::LogOut);
    if let Some(me) = &post.me {
        if let Err(error) = state.sessions.end(&me.session).await {
            return post
                .refused(&state, View::LogOut, FormKind::LogOut, error, &[])
                .await;
        }
    }
    let jar = cookies::without_session(post.jar(), &state.config);
    see_other("/", Some(jar))
}

/// `/u/:username/follow` (or `unfollow`, `block`, `unblock`), back to
/// the profile.
pub(super) async fn relationship(
    State(state): State<AppState>,
    Path((username, segment)): Path<(String, String)>,
    request: Request,
) -> Response {
    let view = View::User(username.clone());
    let (post, _) = read_post!(state, request, view.clone(), FormKind::Relationship);
    let Some(change) = RelationChange::from_segment(&segment) else {
        return post
            .refused(
                &state,
                View::NotFound,
                FormKind::Relationship,
                Error::NotFound,
                &[],
            )
            .await;
    };
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    let done = async {
        let name = Username::parse(&username).map_err(|_| Error::NotFound)?;
        let target = state.accounts.by_username(&name).await?.id;
        let (social, me) = (&state.social, &me.user);
        match change {
            RelationChange::Follow => social.follow(me, me.id, target).await,
            RelationChange::Unfollow => social.unfollow(me, me.id, target).await,
            RelationChange::Block => social.block(me, me.id, target).await,
            RelationChange::Unblock => social.unblock(me, me.id, target).await,
        }
    };
    match done.await {
        Ok(()) => see_other(&format!("/u/{username}"), None),
        Err(Error::Unauthorized) => see_other("/login", None),
        Err(error) => {
            post.shown_at(&format!("/u/{username}"))
                .refused(&state, view, FormKind::Relationship, error, &[])
                .await
        }
    }
}

/// `/t/:id/delete`, `/t/:id/like`, `/t/:id/unlike`, `/t/:id/repost`,
/// `/t/:id/unrepost`: then back to the page
/// the form was on (`next`). A tweet that is gone, or was never yours to
/// delete, is not there to change: the page shows as it is.
pub(super) async fn tweet_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (post, values) = read_post!(state, request, View::Home, FormKind::Tweet);
    let Some(me) = post.me.clone() else {
        return see_other("/login", None);
    };
    let next = values.get("next");
    let back = local_path(&next);
    let done = match (crate::http::extract::parse_id(&id), action.as_str()) {
        (Ok(id), "delete") => state.tweets.delete(&me, id).await,
        (Ok(id), "like") => state.tweets.react(&me, id, Reaction::Like, true).await,
        (Ok(id), "unlike") => state.tweets.react(&me, id, Reaction::Like, false).await,
        (Ok(id), "repost") => state.tweets.react(&me, id, Reaction::Repost, true).await,
        (Ok(id), "unrepost") => state.tweets.react(&me, id, Reaction::Repost, false).await,
        (_, "delete" | "like" | "unlike" | "repost" | "unrepost") => Err(Error::NotFound),
        _ => {
            return post
                .refused(
                    &state,
                    View::NotFound,
                    FormKind::Tweet,
                    Error::NotFound,
                    &[],
                )
                .await
        }
    };
    match done {
        Ok(()) | Err(Error::NotFound) => see_other(back, None),
        Err(Error::Unauthorized) => see_other("/login", None),
        Err(error) => {
            post.shown_at("/")
                .refused(&state, View::Home, FormKind::Tweet, error, &[])
                .await
        }
    }
}

/// `next` if it is a path of this site, else `/`: a form must not send
/// anyone elsewhere (`//host` and `/\host` are other sites to browsers).
fn local_path(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if local {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn a_form_only_sends_back_to_a_page_of_this_site() {
        assert_eq!(local_path("/u/ann?max_id=5"), "/u/ann?max_id=5");
        assert_eq!(local_path("/everyone"), "/everyone");
        for elsewhere in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "",
            "u/ann",
            "/\nx",
        ] {
            assert_eq!(local_path(elsewhere), "/", "{elsewhere:?}");
        }
    }
}
