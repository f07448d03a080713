use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{account::LoginForm, composer::Composer, timeline::TimelineView},
    flux::{use_session, TimelineKey},
};

/// The timeline for a logged-in user; the login form for anyone else.
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
                    </section>
                    <LoginForm />
                }
            }
        >
            <h1 class="visually-hidden">"Home"</h1>
            <Composer />
            <TimelineView key=TimelineKey::Everyone />
        </Show>
    }
    .into_any()
}
