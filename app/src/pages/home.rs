use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="card hero">
            <h1>"Welcome to Chirp"</h1>
            <p>"Short messages from the people you follow. The timeline is on its way."</p>
        </section>
    }
}
