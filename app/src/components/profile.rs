//! A user's card on their page: name, handle, join date, counts, and the
//! reader's follow and block buttons (form posts without JavaScript,
//! dispatched changes with it).

use leptos::prelude::*;

use super::{form::enhance, text::TweetText, tweet::Avatar};
use crate::flux::clock::joined;
use crate::{
    api::{Relationship, Values},
    flux::{use_profile, Action, ProfileCard, RelationChange},
};

#[component]
pub fn ProfileCardView() -> impl IntoView {
    let profile = use_profile();
    let card = profile.card;
    move || {
        card.with(|card| card.clone()).map(|card| {
            let ProfileCard { user, relationship } = card;
            let counts = user.follows.unwrap_or_default();
            let joined = joined(&user.created_at);
            let buttons = relationship.map(|r| {
                view! { <RelationButtons username=user.username.clone() relationship=r /> }
            });
            view! {
                <section class="card profile" aria-label="Profile">
                    <div class="profile-head">
                        <Avatar name=user.username.clone() />
                        <div>
                            <h1 class="profile-name">{user.name.clone()}</h1>
                            <p class="profile-handle">
                                "@" {user.username.clone()}
                                {relationship
                                    .filter(|r| r.followed_by)
                                    .map(|_| view! { <span class="badge">"Follows you"</span> })}
                            </p>
                        </div>
                    </div>
                    {(!user.bio.is_empty())
                        .then(|| {
                            view! {
                                <div class="profile-bio">
                                    <TweetText body=user.bio.clone() mentions=Vec::new() />
                                </div>
                            }
                        })}
                    <p class="profile-joined">{joined}</p>
                    <p class="profile-counts">
                        <span>
                            <strong>{counts.following}</strong>
                            " Following"
                        </span>
                        <span>
                            <strong>{counts.followers}</strong>
                            {if counts.followers == 1 { " Follower" } else { " Followers" }}
                        </span>
                    </p>
                    {buttons}
                    {relationship
                        .filter(|r| r.blocking)
                        .map(|_| {
                            view! {
                                <p class="profile-note">
                                    {format!(
                                        "You block @{}. Their tweets are hidden from you, and they can't follow you.",
                                        user.username,
                                    )}
                                </p>
                            }
                        })}
                    <Show when=move || profile.error.with(Option::is_some)>
                        <p class="form-error" role="alert">
                            {move || profile.error.get()}
                        </p>
                    </Show>
                </section>
            }
        })
    }
}

/// Follow or unfollow, block or unblock: each a form posting to
/// `/u/:username/<change>`.
#[component]
fn RelationButtons(username: String, relationship: Relationship) -> impl IntoView {
    let pending = use_profile().pending;
    let follow = if relationship.following {
        RelationChange::Unfollow
    } else {
        RelationChange::Follow
    };
    let block = if relationship.blocking {
        RelationChange::Unblock
    } else {
        RelationChange::Block
    };
    let button = move |change: RelationChange, label: &'static str, class: &'static str| {
        let submit = enhance(move |_: Values| Some(Action::ChangeRelationship(change)));
        view! {
            <form
                class="inline-form"
                method="post"
                action=format!("/u/{username}/{}", change.segment())
                on:submit=submit
            >
                <button
                    type="submit"
                    class=class
                    disabled=move || pending.get()
                    aria-pressed=match change {
                        RelationChange::Unfollow | RelationChange::Unblock => "true",
                        RelationChange::Follow | RelationChange::Block => "false",
                    }
                >
                    {label}
                </button>
            </form>
        }
    };
    let follow_button = (!relationship.blocking).then(|| match follow {
        RelationChange::Unfollow => button(follow, "Following", "button secondary"),
        _ => button(follow, "Follow", "button"),
    });
    let block_button = match block {
        RelationChange::Unblock => button(block, "Unblock", "button danger"),
        _ => button(block, "Block", "link-button"),
    };
    view! {
        <div class="profile-actions">
            {follow_button}
            {block_button}
        </div>
    }
    .into_any()
}
