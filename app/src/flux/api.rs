//! The only code that talks HTTP (browser only): performs the reducers'
//! [`Command`]s with gloo-net and dispatches the outcome as server actions.

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::task::spawn_local;
use serde::{de::DeserializeOwned, Serialize};

use super::{Action, Command, Dispatcher, FormKind, RelationChange, TimelineKey};
use crate::api::{
    paths, ErrorBody, ErrorCode, NewTweet, TweetDto, TweetList, UserDto, PAGE_DEFAULT,
};

pub(super) fn perform(dispatcher: Dispatcher, command: Command) {
    spawn_local(async move {
        let action = request(command).await;
        dispatcher.dispatch(action);
    });
}

async fn request(command: Command) -> Action {
    match command {
        Command::PostTweet {
            local_id,
            body,
            in_reply_to,
        } => {
            let new = NewTweet {
                body,
                tweetedby: None,
                in_reply_to,
            };
            match send::<TweetDto>(json(Request::post(paths::TWEETS), &new)).await {
                Ok((tweet, _)) => Action::ReceivedTweet { local_id, tweet },
                Err(error) => Action::TweetFailed { local_id, error },
            }
        }
        Command::FetchTweets { key, max_id } => {
            let mut query = vec![("limit", PAGE_DEFAULT.to_string())];
            let path = match &key {
                TimelineKey::Home => paths::HOME_TIMELINE.to_string(),
                TimelineKey::Everyone => paths::TWEETS.to_string(),
                TimelineKey::Author(name) | TimelineKey::WithReplies(name) => {
                    query.push(("tweetedby", name.clone()));
                    if matches!(key, TimelineKey::Author(_)) {
                        query.push(("exclude_replies", "true".into()));
                    }
                    paths::TWEETS.to_string()
                }
                TimelineKey::Tag(tag) => paths::tag(tag),
                TimelineKey::Search(q) => {
                    query.push(("q", q.clone()));
                    paths::SEARCH_TWEETS.to_string()
                }
                TimelineKey::Replies(_) => unreachable!("a thread comes with its page"),
            };
            let older = max_id.is_some();
            if let Some(id) = max_id {
                query.push(("max_id", id));
            }
            let builder = Request::get(&path).query(query);
            match send::<TweetList>(builder.build()).await {
                Ok((list, _)) => Action::ReceivedTweets {
                    key,
                    tweets: list.tweets_list,
                    older,
                },
                Err(error) => Action::TimelineFailed { key, error },
            }
        }
        Command::DeleteTweet { id } => {
            match send_empty(Request::delete(&paths::tweet(&id)).build()).await {
                // Gone already is gone all the same.
                Ok(()) => Action::TweetDeleted(id),
                Err(error) if error.error == ErrorCode::NotFound => Action::TweetDeleted(id),
                Err(error) => Action::DeleteFailed { id, error },
            }
        }
        Command::React { reaction, id, on } => {
            let path = paths::reaction(&id, reaction);
            let request = if on {
                Request::put(&path)
            } else {
                Request::delete(&path)
            };
            match send_empty(request.build()).await {
                Ok(()) => Action::Reacted(reaction, id),
                Err(error) => Action::ReactionFailed {
                    reaction,
                    id,
                    error,
                },
            }
        }
        Command::SetRelationship { me, target, change } => {
            let request = match change {
                RelationChange::Follow => Request::put(&paths::following(&me, &target)),
                RelationChange::Unfollow => Request::delete(&paths::following(&me, &target)),
                RelationChange::Block => Request::put(&paths::blocking(&me, &target)),
                RelationChange::Unblock => Request::delete(&paths::blocking(&me, &target)),
            };
            match send_empty(request.build()).await {
                Ok(()) => Action::RelationshipSaved,
                Err(error) => Action::RelationshipFailed(error),
            }
        }
        Command::LogIn(login) => {
            session_started(FormKind::LogIn, json(Request::post(paths::LOGIN), &login)).await
        }
        Command::SignUp(sign_up) => {
            session_started(
                FormKind::SignUp,
                json(Request::post(paths::USERS), &sign_up),
            )
            .await
        }
        Command::UpdateProfile {
            user_id,
            etag,
            changes,
        } => {
            let mut builder = Request::put(&paths::user(&user_id));
            if let Some(etag) = &etag {
                builder = builder.header("If-Match", etag);
            }
            match send::<UserDto>(json(builder, &changes)).await {
                Ok((user, etag)) => Action::ProfileUpdated { user, etag },
                Err(error) => Action::FormFailed {
                    form: FormKind::Profile,
                    error,
                },
            }
        }
        Command::LogOut => match send_empty(Request::post(paths::LOGOUT).build()).await {
            // Already logged out elsewhere is logged out all the same.
            Ok(()) => Action::LoggedOut,
            Err(error) if error.error == ErrorCode::Unauthorized => Action::LoggedOut,
            Err(error) => Action::FormFailed {
                form: FormKind::LogOut,
                error,
            },
        },
        Command::Navigate(_) => unreachable!("the dispatcher navigates"),
    }
}

async fn session_started(form: FormKind, request: Result<Request, gloo_net::Error>) -> Action {
    match send::<UserDto>(request).await {
        Ok((user, _)) => Action::LoggedIn(user),
        Err(error) => Action::FormFailed { form, error },
    }
}

fn json(builder: RequestBuilder, body: &impl Serialize) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

/// The decoded body and the `ETag`, or the API's error.
async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<(T, Option<String>), ErrorBody> {
    let response = checked(request).await?;
    let etag = response.headers().get("etag");
    let body = response.json::<T>().await.map_err(|_| unreadable())?;
    Ok((body, etag))
}

async fn send_empty(request: Result<Request, gloo_net::Error>) -> Result<(), ErrorBody> {
    checked(request).await.map(|_| ())
}

async fn checked(request: Result<Request, gloo_net::Error>) -> Result<Response, ErrorBody> {
    let response = request
        .map_err(|_| unreadable())?
        .send()
        .await
        .map_err(|_| unreachable_server())?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    Err(response
        .json::<ErrorBody>()
        .await
        .unwrap_or_else(|_| ErrorBody {
            error: ErrorCode::Unknown,
            message: format!("the server answered {status}"),
            details: Default::default(),
        }))
}

fn unreachable_server() -> ErrorBody {
    ErrorBody {
        error: ErrorCode::Unavailable,
        message: "Chirp could not be reached; check the connection and try again".into(),
        details: Default::default(),
    }
}

fn unreadable() -> ErrorBody {
    ErrorBody {
        error: ErrorCode::Internal,
        message: "the server's answer could not be read".into(),
        details: Default::default(),
    }
}
