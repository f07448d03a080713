//! The server-rendered pages: each page's data is loaded from the API
//! (in-process), provided to the Leptos app through context and shipped
//! in the page for hydration; the HTML forms post back to the same
//! addresses ([`forms`]).

mod api;
mod forms;

use app::{
    api::{paths, ErrorBody, TweetDto, TweetList, UserDto, PAGE_DEFAULT},
    flux::{FormFeedback, FormKind, PageData, Timeline, TimelineKey},
    shell,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use chrono::{SecondsFormat, Utc};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes};
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub use api::{Api, Caller};

use crate::{http::middleware::provide_page_csp, AppState};

/// The app's pages (GET), their forms (POST), and the site's files.
pub fn router(state: &AppState, pages: Vec<AxumRouteListing>) -> Router<AppState> {
    let api = Api::new(state);
    let render = {
        let api = api.clone();
        move |State(state): State<AppState>, request: Request| {
            let api = api.clone();
            async move { render(&api, &state, request, Rendering::default()).await }
        }
    };
    let router = Router::new().leptos_routes_with_handler(pages, get(render));
    let fallback = {
        let api = api.clone();
        move |State(state): State<AppState>, request: Request| {
            file_or_not_found(api.clone(), state, request)
        }
    };
    forms::routes(router, api).fallback(fallback)
}

/// Everything else: a file of the built site (served precompressed when
/// the browser accepts it), or the not-found page, rendered like every
/// page (with the session's header).
async fn file_or_not_found(api: Api, state: AppState, request: Request) -> Response {
    let file = Request::builder()
        .uri(request.uri().clone())
        .header(
            header::ACCEPT_ENCODING,
            request
                .headers()
                .get(header::ACCEPT_ENCODING)
                .cloned()
                .unwrap_or(HeaderValue::from_static("identity")),
        )
        .body(Body::empty())
        .expect("a valid request");
    let site = ServeDir::new(&*state.leptos_options.site_root)
        .precompressed_gzip()
        .precompressed_br();
    match site.oneshot(file).await {
        Ok(found) if found.status() != StatusCode::NOT_FOUND => found.into_response(),
        _ => render(&api, &state, request, Rendering::default()).await,
    }
}

/// What a form post adds to a page's usual data.
#[derive(Default)]
pub(crate) struct Rendering {
    pub feedback: Option<FormFeedback>,
    pub status: Option<StatusCode>,
}

/// Renders the page at `request`'s path for its caller.
pub(crate) async fn render(
    api: &Api,
    state: &AppState,
    request: Request,
    rendering: Rendering,
) -> Response {
    let caller = Caller::of(&request);
    let (mut data, status) = load(api, &caller, request.uri()).await;
    data.form = rendering.feedback;
    let status = rendering.status.or(status);

    let options = state.leptos_options.clone();
    let csp = provide_page_csp(options.clone());
    let context = move || {
        csp();
        provide_context(data.clone());
    };
    let handler =
        leptos_axum::render_app_to_stream_with_context(context, move || shell(options.clone()));
    // A form post re-renders its page as the page would be fetched.
    let (mut parts, _) = request.into_parts();
    parts.method = Method::GET;
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    // The page carries the user's own data (their e-mail address).
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "private, no-store".parse().unwrap());
    response
}

/// The data the page at `uri` shows, and its status if not 200.
async fn load(api: &Api, caller: &Caller, uri: &axum::http::Uri) -> (PageData, Option<StatusCode>) {
    let me = api.get::<UserDto>(caller, paths::ME).await;
    let user_etag = me
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let user = me.body.ok();
    let query: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let max_id = param("max_id");

    let path = uri.path();
    let key = if path == "/" && user.is_some() {
        Some(TimelineKey::Everyone)
    } else {
        path.strip_prefix("/u/")
            .filter(|name| !name.is_empty() && !name.contains('/'))
            .map(|name| TimelineKey::Author(name.to_string()))
    };
    let mut status = None;
    let timeline = match key {
        None => None,
        Some(key) => {
            let (tweets, error) = match timeline(api, caller, &key, max_id.as_deref()).await {
                Ok(tweets) => (tweets, None),
                Err((error_status, error)) => {
                    status = Some(error_status);
                    (Vec::new(), Some(error))
                }
            };
            Some(Timeline {
                has_more: tweets.len() >= PAGE_DEFAULT as usize,
                key,
                tweets,
                error,
            })
        }
    };
    let saved = (path == "/profile" && param("saved").is_some()).then_some(FormKind::Profile);
    let data = PageData {
        now: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        user,
        user_etag,
        timeline,
        form: None,
        saved,
    };
    (data, status)
}

/// A page of `key`'s timeline, or the API's status and error (an unknown
/// user is a 404 page).
async fn timeline(
    api: &Api,
    caller: &Caller,
    key: &TimelineKey,
    max_id: Option<&str>,
) -> Result<Vec<TweetDto>, (StatusCode, ErrorBody)> {
    // The serializer is not `Send`: done with before the first await.
    let uri = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("limit", &PAGE_DEFAULT.to_string());
        if let TimelineKey::Author(name) = key {
            query.append_pair("tweetedby", name);
        }
        if let Some(max_id) = max_id {
            query.append_pair("max_id", max_id);
        }
        format!("{}?{}", paths::TWEETS, query.finish())
    };
    let answer = api.get::<TweetList>(caller, &uri).await;
    answer.body.map(|list| list.tweets_list).map_err(|error| {
        let status = if answer.status.is_success() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            answer.status
        };
        (status, error)
    })
}
