use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::{
    components::{account::LoginForm, composer::Composer, timeline::TimelineView},
    flux::{use_session, TimelineKey},
};

/// The reader's home timeline (theirs and whom they follow); the login
/// form for anyone else.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let logged_in = move || session.logged_in();
    view! {
        <Title text="" />
        <Show
            when=logged_in
            fallback=|| {
                view! {
                    <section class="hero">
                        <h1>"Welcome to Chirp"</h1>
                        <p>"Short messages from the people you follow."</p>
                        <p>
                            <a href="/everyone">"See what everyone is saying"</a>
                        </p>
                    </section>
                    <LoginForm />
                }
            }
        >
            <h1 class="visually-hidden">"Home"</h1>
            <TimelineTabs />
            <Composer />
            <TimelineView key=TimelineKey::Home />
        </Show>
    }
    .into_any()
}

/// `/everyone`: everyone's tweets, for anyone.
#[component]
pub fn EveryonePage() -> impl IntoView {
    let session = use_session();
    let logged_in = move || session.logged_in();
    view! {
        <Title text="Everyone" />
        <h1 class="visually-hidden">"Everyone"</h1>
        <Show when=logged_in>
            <TimelineTabs />
            <Composer />
        </Show>
        <TimelineView key=TimelineKey::Everyone />
    }
    .into_any()
}

/// Home and Everyone, one click apart.
#[component]
fn TimelineTabs() -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Timelines">
            <A href="/">"Home"</A>
            <A href="/everyone">"Everyone"</A>
        </nav>
    }
}
