//! The server-rendered pages: each route loads its page's data from the
//! services, provides it to the Leptos app through context and ships it
//! in the page for hydration; the HTML forms post back to the same
//! addresses ([`forms`]); anything else is a file of the built site
//! ([`assets`]) or the not-found page.

mod assets;
mod csp;
mod forms;

use app::{
    api::{ErrorBody, FollowCounts, Thread, TweetDto, UserDto},
    flux::{FormFeedback, FormKind, PageData, ProfileCard, Timeline, TimelineKey},
    shell,
};
use axum::{
    body::Body,
    extract::{FromRequestParts, Path, Request, State},
    http::{header, request::Parts, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use chrono::{SecondsFormat, Utc};
use leptos::prelude::{provide_context, LeptosOptions};

use crate::{
    domain::Username,
    error::{Error, Result},
    http::{dto, extract::MaybeUser, pagination::PageQuery},
    services::SignedIn,
    store::{AuthoredTweet, Limit, Page},
    AppState,
};

/// One page route per route of the app's router (a test holds the two
/// lists equal).
pub fn router() -> Router<AppState> {
    // Rendering runs Leptos' reactive system, which spawns its tasks on
    // the executor set here: tokio's.
    let _ = any_spawner::Executor::init_tokio();
    Router::new()
        .route("/", get(home).post(forms::tweet))
        .route("/everyone", get(everyone))
        .route("/login", get(login).post(forms::log_in))
        .route("/signup", get(sign_up).post(forms::sign_up))
        .route("/profile", get(profile).post(forms::profile))
        .route("/logout", get(logout).post(forms::log_out))
        .route("/u/{username}", get(user))
        .route("/tags/{tag}", get(tag))
        .route("/t/{id}", get(thread).post(forms::reply))
        .route("/search", get(search))
        .route("/notifications", get(notifications).post(forms::mark_read))
        .route("/u/{username}/{change}", post(forms::relationship))
        .route("/t/{id}/{action}", post(forms::tweet_action))
        .fallback(file_or_not_found)
}

/// Which page, with what its address asks for.
#[derive(Clone, Debug)]
enum View {
    /// The home timeline for a logged-in user; the login form for anyone
    /// else.
    Home,
    /// Everyone's tweets.
    Everyone,
    LogIn,
    SignUp,
    Profile,
    LogOut,
    /// `/u/:username`: one user's tweets, without their replies unless
    /// `?with_replies=1`.
    User(String),
    /// `/tags/:tag`: the tweets with a hashtag.
    Tag(String),
    /// `/t/:id`: a tweet in its conversation.
    Thread(String),
    /// The logged-in user's notifications.
    Notifications,
    /// `/search?q=`: people and tweets.
    Search,
    NotFound,
}

async fn home(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::Home).await
}

async fn everyone(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::Everyone).await
}

async fn login(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::LogIn).await
}

async fn sign_up(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::SignUp).await
}

async fn profile(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::Profile).await
}

async fn logout(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::LogOut).await
}

async fn user(
    State(state): State<AppState>,
    Path(username): Path<String>,
    request: Request,
) -> Response {
    show(&state, request, View::User(username)).await
}

async fn tag(State(state): State<AppState>, Path(tag): Path<String>, request: Request) -> Response {
    show(&state, request, View::Tag(tag)).await
}

async fn search(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::Search).await
}

async fn notifications(State(state): State<AppState>, request: Request) -> Response {
    show(&state, request, View::Notifications).await
}

async fn thread(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    show(&state, request, View::Thread(id)).await
}

/// Everything else: a file of the built site, or the not-found page,
/// rendered like every page (with the session's header).
async fn file_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if matches!(parts.method, Method::GET | Method::HEAD) {
        if let Some(file) = assets::file(&state.leptos_options, &parts).await {
            return file;
        }
    }
    show(&state, Request::from_parts(parts, body), View::NotFound).await
}

/// Renders `view` for the request's user.
async fn show(state: &AppState, request: Request, view: View) -> Response {
    let (mut parts, _) = request.into_parts();
    let me = match MaybeUser::from_request_parts(&mut parts, state).await {
        Ok(MaybeUser(me)) => me,
        Err(error) => return failure_page(error),
    };
    page(state, parts, me.as_ref(), view, None).await
}

/// The page `view` with what a refused form adds to it.
async fn page(
    state: &AppState,
    parts: Parts,
    me: Option<&SignedIn>,
    view: View,
    refused: Option<(StatusCode, FormFeedback)>,
) -> Response {
    let loaded = load(state, &parts, me, &view).await;
    let (mut data, mut status) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return failure_page(error),
    };
    if let Some((refusal, feedback)) = refused {
        status = refusal;
        data.form = Some(feedback);
    }
    render(state, parts, data, status).await
}

/// The data `view` shows, and its status.
async fn load(
    state: &AppState,
    parts: &Parts,
    me: Option<&SignedIn>,
    view: &View,
) -> Result<(PageData, StatusCode)> {
    let query: Vec<(String, String)> =
        form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut data = PageData {
        now: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        user: me.map(|me| dto::user(&me.user, true)),
        user_etag: me.and_then(|me| dto::etag(&me.user).to_str().ok().map(str::to_string)),
        ..PageData::default()
    };
    let mut status = StatusCode::OK;
    if let Some(me) = me {
        data.unread = state.notifications.unread(me).await?;
    }
    let timeline = match view {
        View::Home if me.is_some() => Some(TimelineKey::Home),
        View::Everyone => Some(TimelineKey::Everyone),
        View::Tag(tag) => Some(TimelineKey::Tag(tag.to_ascii_lowercase())),
        View::User(name) => {
            data.profile = profile_card(state, me, name).await?;
            Some(if param("with_replies").is_some() {
                TimelineKey::WithReplies(name.clone())
            } else {
                TimelineKey::Author(name.clone())
            })
        }
        View::Thread(id) => {
            // The thread page shows a full page of replies.
            let cursor = PageQuery {
                since_id: param("since_id"),
                limit: Some(app::api::PAGE_MAX.into()),
                ..PageQuery::default()
            };
            match conversation(state, me, id, cursor).await {
                Ok(thread) => data.thread = Some(thread),
                Err(error) if error.status().is_server_error() => return Err(error),
                Err(error) => {
                    status = error.status();
                    data.timeline = Some(Timeline {
                        key: TimelineKey::Replies(id.clone()),
                        tweets: Vec::new(),
                        has_more: false,
                        error: Some(error.into_body()),
                    });
                }
            }
            None
        }
        View::Search => match param("q") {
            None => None,
            Some(q) if q.trim().is_empty() => None,
            Some(q) => match crate::services::search_query(Some(&q)) {
                Ok(q) => {
                    let limit = Limit::new(PEOPLE_SHOWN).expect("a page size");
                    let people = state.accounts.search(&q, limit).await?;
                    data.people = people.iter().map(|u| dto::user(u, false)).collect();
                    Some(TimelineKey::Search(q))
                }
                Err(error) => {
                    status = error.status();
                    data.timeline = Some(Timeline {
                        key: TimelineKey::Search(q.chars().take(20).collect()),
                        tweets: Vec::new(),
                        has_more: false,
                        error: Some(error.into_body()),
                    });
                    None
                }
            },
        },
        View::Notifications => {
            if let Some(me) = me {
                let page = Page::first(Limit::new(NOTIFICATIONS_SHOWN).expect("a page size"));
                let found = state.notifications.list(me, page).await?;
                data.notifications = found.iter().map(dto::notification).collect();
            }
            None
        }
        View::Profile => {
            data.saved = param("saved").map(|_| FormKind::Profile);
            None
        }
        View::NotFound => {
            status = StatusCode::NOT_FOUND;
            None
        }
        _ => None,
    };
    if let Some(key) = timeline {
        let cursor = PageQuery {
            max_id: param("max_id"),
            ..PageQuery::default()
        };
        let loaded = match cursor.page() {
            Ok(page) => timeline_page(state, me, &key, page)
                .await
                .map(|tweets| (page, tweets)),
            Err(error) => Err(error),
        };
        data.timeline = Some(match loaded {
            Ok((page, tweets)) => Timeline {
                has_more: page.is_full(tweets.len()),
                key,
                tweets,
                error: None,
            },
            Err(error) if error.status().is_server_error() => return Err(error),
            Err(error) => {
                status = error.status();
                Timeline {
                    key,
                    tweets: Vec::new(),
                    has_more: false,
                    error: Some(error.into_body()),
                }
            }
        });
    }
    Ok((data, status))
}

/// How many people a search page shows.
const PEOPLE_SHOWN: i64 = 10;

/// How many notifications the page shows: the newest.
const NOTIFICATIONS_SHOWN: i64 = 50;

/// Tweet `id` in its conversation as `me` sees it.
async fn conversation(
    state: &AppState,
    me: Option<&SignedIn>,
    id: &str,
    cursor: PageQuery,
) -> Result<Thread> {
    let page = cursor.page()?;
    let id = crate::http::extract::parse_id(id)?;
    let reader = me.map(|me| me.user.id);
    let conversation = state.tweets.thread(reader, id, page).await?;
    let mine = state.tweets.reactions_in(reader, &conversation).await?;
    Ok(dto::thread(&conversation, &mine))
}

/// A page of `key`'s timeline as `me` sees it.
async fn timeline_page(
    state: &AppState,
    me: Option<&SignedIn>,
    key: &TimelineKey,
    page: Page,
) -> Result<Vec<TweetDto>> {
    let reader = me.map(|me| me.user.id);
    let found: Vec<AuthoredTweet> = match key {
        TimelineKey::Home => {
            let me = me.ok_or(Error::Unauthorized)?;
            state.social.home(&me.user, page).await?
        }
        TimelineKey::Everyone => state.tweets.timeline(reader, None, page).await?.to_vec(),
        TimelineKey::Author(name) | TimelineKey::WithReplies(name) => {
            // A name nobody can have is nobody's.
            let author = Username::parse(name).map_err(|_| Error::NotFound)?;
            let replies = matches!(key, TimelineKey::WithReplies(_));
            let found = state
                .tweets
                .timeline(reader, Some((&author, replies)), page)
                .await?;
            found.to_vec()
        }
        TimelineKey::Tag(tag) => state.tweets.tagged(reader, tag, page).await?,
        TimelineKey::Search(q) => state.tweets.search(reader, q, page).await?,
        // The thread page loads its conversation itself (`thread`).
        TimelineKey::Replies(_) => return Err(Error::NotFound),
    };
    let mine = state.tweets.reactions_among(reader, &found).await?;
    Ok(dto::tweets_seen(&found, &mine))
}

/// The card of the user called `name` (none if nobody is), with how `me`
/// stands with them.
async fn profile_card(
    state: &AppState,
    me: Option<&SignedIn>,
    name: &str,
) -> Result<Option<ProfileCard>> {
    let Ok(name) = Username::parse(name) else {
        return Ok(None);
    };
    let user = match state.accounts.by_username(&name).await {
        Ok(user) => user,
        Err(Error::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let counts = state.social.counts(user.id).await?;
    let relationship = match me {
        Some(me) if me.user.id != user.id => Some(
            state
                .social
                .relationship(&me.user, me.user.id, user.id)
                .await?,
        ),
        _ => None,
    };
    Ok(Some(ProfileCard {
        user: UserDto {
            follows: Some(FollowCounts {
                following: counts.following,
                followers: counts.followers,
            }),
            ..dto::user(&user, false)
        },
        relationship,
    }))
}

/// The stylesheet's address: `/pkg/chirp.css`, or with the content hash
/// cargo-leptos wrote to its hash file beside the binary when it hashes
/// files (`chirp.<hash>.css`), found as leptos_meta's `HashedStylesheet`
/// finds it.
pub(crate) fn stylesheet_href(options: &LeptosOptions) -> String {
    let hash = options.hash_files.then(|| css_hash(options)).flatten();
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    match hash {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}

fn css_hash(options: &LeptosOptions) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let hashes = std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()?;
    hashes.lines().find_map(|line| {
        let (file, hash) = line.split_once(':')?;
        (file.trim() == "css").then(|| hash.trim().to_string())
    })
}

/// Renders the app for `parts`' address with `data`.
async fn render(
    state: &AppState,
    mut parts: Parts,
    data: PageData,
    status: StatusCode,
) -> Response {
    let options = state.leptos_options.clone();
    let stylesheet = state.stylesheet.clone();
    let csp = csp::provide(&options);
    let context = move || {
        csp();
        provide_context(data.clone());
    };
    let handler = leptos_axum::render_app_to_stream_with_context(context, move || {
        shell(options.clone(), stylesheet.clone())
    });
    // A form post re-renders its page as the page would be fetched.
    parts.method = Method::GET;
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    if status != StatusCode::OK {
        *response.status_mut() = status;
    }
    // The page carries the user's own data (their e-mail address).
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// A page for a failure no page can show around: the storage does not
/// answer (503), or a bug (500). It says so instead of pretending the
/// visitor is logged out.
fn failure_page(error: Error) -> Response {
    let status = error.status();
    let retry = matches!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body: ErrorBody = error.into_body();
    let message = if retry {
        "Chirp can't reach its storage right now. Try again in a moment."
    } else {
        "Something went wrong on our side. Try again in a moment."
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Unavailable · Chirp</title></head><body><main>\
         <h1>Chirp is unavailable</h1><p role=\"alert\">{message}</p>\
         <p><a href=\"\">Try again</a></p></main></body></html><!-- {} -->",
        body.error
    );
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    if retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stylesheet_is_named_by_its_hash_only_when_the_build_hashes_files() {
        let options = leptos::prelude::LeptosOptions::builder()
            .output_name("chirp")
            .build();
        assert_eq!(super::stylesheet_href(&options), "/pkg/chirp.css");
    }

    /// The routes `router()` gives a page.
    const PAGES: [&str; 11] = [
        "/",
        "/everyone",
        "/login",
        "/signup",
        "/profile",
        "/logout",
        "/u/{username}",
        "/tags/{tag}",
        "/t/{id}",
        "/notifications",
        "/search",
    ];

    #[test]
    fn every_route_of_the_app_is_a_page_route() {
        let leptos: Vec<String> = leptos_axum::generate_route_list(app::App)
            .into_iter()
            .map(|route| {
                route
                    .path()
                    .replace(":username", "{username}")
                    .replace(":tag", "{tag}")
                    .replace(":id", "{id}")
            })
            .collect();
        let mut ours: Vec<&str> = PAGES.to_vec();
        let mut theirs: Vec<&str> = leptos.iter().map(String::as_str).collect();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);
    }
}
