//! The account pages: each is a form the server also handles without WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::{
    components::account::{LoginForm, LogoutButton, ProfileForm, SignUpForm},
    flux::use_session,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text="Log in" />
        <LoginForm />
    }
    .into_any()
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    view! {
        <Title text="Sign up" />
        <SignUpForm />
    }
    .into_any()
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Profile" />
        <Show
            when=move || session.logged_in()
            fallback=|| view! { <LoggedOutNotice what="see your profile" /> }
        >
            {session.user.get_untracked().map(|user| view! { <ProfileForm user /> })}
        </Show>
    }
    .into_any()
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Log out" />
        <Show
            when=move || session.logged_in()
            fallback=|| view! { <LoggedOutNotice what="log out" /> }
        >
            <section class="card form">
                <h1>"Log out"</h1>
                <p>"You can log in again at any time."</p>
                <LogoutButton label="Log out now" />
            </section>
        </Show>
    }
    .into_any()
}

#[component]
pub(crate) fn LoggedOutNotice(what: &'static str) -> impl IntoView {
    view! {
        <section class="card">
            <h1>"You are not logged in"</h1>
            <p>
                <A href="/login">"Log in"</A>
                {format!(" to {what}, or ")}
                <A href="/signup">"sign up"</A>
                "."
            </p>
        </section>
    }
    .into_any()
}
