//! The pages' HTML forms, for browsers without WASM: each posts
//! form-encoded to its page's own address; the handler makes the same call
//! the enhanced form makes to the JSON API, then redirects (303) on success
//! or re-renders the page with the API's errors and what was typed.

use app::{
    api::{
        paths, ErrorBody, ErrorCode, LoginRequest, NewTweet, SignUp, UpdateUser, UserDto, Values,
    },
    flux::{FormFeedback, FormKind},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};

use super::{render, Api, Caller, Rendering};
use crate::AppState;

/// Form bodies are small; the API's own limit is 16 KiB.
const MAX_FORM: usize = 16 * 1024;

pub(super) fn routes(router: Router<AppState>, api: Api) -> Router<AppState> {
    macro_rules! form {
        ($handler:ident) => {{
            let api = api.clone();
            post(move |State(state): State<AppState>, request: Request| {
                let api = api.clone();
                async move { $handler(Ctx::new(api, state, request).await).await }
            })
        }};
    }
    router
        .route("/", form!(tweet))
        .route("/login", form!(login))
        .route("/signup", form!(sign_up))
        .route("/profile", form!(profile))
        .route("/logout", form!(logout))
}

/// One form post: its fields, its caller, and the request to re-render.
struct Ctx {
    api: Api,
    state: AppState,
    caller: Caller,
    /// The post's head, to re-render its page (a body is not `Sync`).
    parts: Parts,
    fields: Values,
}

impl Ctx {
    async fn new(api: Api, state: AppState, request: Request) -> Self {
        let caller = Caller::of(&request);
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_FORM)
            .await
            .unwrap_or_default();
        let fields = form_urlencoded::parse(&bytes).into_owned().collect();
        Self {
            api,
            state,
            caller,
            parts,
            fields,
        }
    }

    /// Re-renders the page with `error`, keeping what was typed in `keep`.
    async fn refused(
        self,
        form: FormKind,
        status: StatusCode,
        error: ErrorBody,
        keep: &[&str],
    ) -> Response {
        let values = keep
            .iter()
            .map(|name| (name.to_string(), self.fields.get(name)))
            .collect();
        let rendering = Rendering {
            feedback: Some(FormFeedback {
                form,
                error,
                values,
            }),
            status: Some(status),
        };
        let request = Request::from_parts(self.parts, Body::empty());
        render(&self.api, &self.state, request, rendering).await
    }
}

async fn login(ctx: Ctx) -> Response {
    let input = LoginRequest::from(&ctx.fields);
    let answer = ctx
        .api
        .send::<UserDto>(&ctx.caller, Method::POST, paths::LOGIN, None, &input)
        .await;
    match answer.body {
        Ok(_) => see_other("/", session_cookie(&answer.headers)),
        Err(error) => {
            ctx.refused(FormKind::LogIn, answer.status, error, &["username"])
                .await
        }
    }
}

async fn sign_up(ctx: Ctx) -> Response {
    let input = SignUp::from_form(&ctx.fields);
    let answer = ctx
        .api
        .send::<UserDto>(&ctx.caller, Method::POST, paths::USERS, None, &input)
        .await;
    match answer.body {
        Ok(_) => see_other("/", session_cookie(&answer.headers)),
        Err(error) => {
            ctx.refused(
                FormKind::SignUp,
                answer.status,
                error,
                &["username", "email", "name"],
            )
            .await
        }
    }
}

async fn profile(ctx: Ctx) -> Response {
    let me = ctx.api.get::<UserDto>(&ctx.caller, paths::ME).await;
    let Ok(user) = me.body else {
        return see_other("/login", None);
    };
    let input = UpdateUser::from_form(&ctx.fields, &user);
    // The version the form was rendered from, so a change made meanwhile
    // elsewhere is not overwritten (412).
    let etag = ctx.fields.non_empty("etag");
    let answer = ctx
        .api
        .send::<UserDto>(
            &ctx.caller,
            Method::PUT,
            &paths::user(&user.id),
            etag.as_deref(),
            &input,
        )
        .await;
    match answer.body {
        Ok(_) => see_other("/profile?saved=1", None),
        Err(error) => {
            ctx.refused(FormKind::Profile, answer.status, error, &["name", "email"])
                .await
        }
    }
}

async fn logout(ctx: Ctx) -> Response {
    let answer = ctx
        .api
        .send::<()>(&ctx.caller, Method::POST, paths::LOGOUT, None, &())
        .await;
    match answer.body {
        Ok(()) => see_other("/", session_cookie(&answer.headers)),
        Err(error) => {
            ctx.refused(FormKind::LogOut, answer.status, error, &[])
                .await
        }
    }
}

async fn tweet(ctx: Ctx) -> Response {
    let input = NewTweet {
        body: ctx.fields.get("body"),
        tweetedby: None,
    };
    let answer = ctx
        .api
        .send::<serde_json::Value>(&ctx.caller, Method::POST, paths::TWEETS, None, &input)
        .await;
    match answer.body {
        Ok(_) => see_other("/", None),
        Err(error) if error.error == ErrorCode::Unauthorized => see_other("/login", None),
        Err(error) => {
            ctx.refused(FormKind::Tweet, answer.status, error, &["body"])
                .await
        }
    }
}

/// Post/Redirect/Get: a reload after a successful post does not post again.
fn see_other(to: &'static str, cookie: Option<HeaderValue>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn session_cookie(headers: &HeaderMap) -> Option<HeaderValue> {
    headers.get(header::SET_COOKIE).cloned()
}
