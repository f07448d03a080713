//! Everything Chirp's server and browser share: the components and pages.
//! Server-only code sits behind the `ssr` feature, browser-only behind `hydrate`.

pub mod api;
pub(crate) mod components;
pub mod flux;
pub(crate) mod pages;
#[cfg(test)]
mod renders;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};

use components::header::Header;
use pages::{
    account::LoginPage,
    home::{EveryonePage, HomePage},
    lazy::{
        LogoutRoute, NotificationsRoute, ProfileRoute, SearchRoute, SignUpRoute, TagRoute,
        ThreadRoute, UserRoute,
    },
    not_found::NotFound,
};

/// Whether the WASM has taken over the page. Before that (and on the
/// server) controls must work as plain HTML.
#[derive(Clone, Copy)]
pub(crate) struct Hydrated(pub ReadSignal<bool>);

/// The HTML document the server renders around [`App`].
/// `stylesheet` is its address, named with the file's content hash when the
/// build hashes its files: the server works it out once (leptos_meta's
/// `HashedStylesheet` reads the hash file on every render, 6% of the home
/// page's time).
pub fn shell(options: LeptosOptions, stylesheet: std::sync::Arc<str>) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <AutoReload options=options.clone() />
                <link id="chirp" rel="stylesheet" href=stylesheet />
                // Here rather than a `leptos_meta::Link` in the app: the
                // head is the server's, and the WASM need not build it.
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <HydrationScripts options />
                <MetaTags />
                <PageDataTag />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Effects run only in the browser, so this flips once the WASM has taken
    // over the server-rendered page; tests wait for it to prove hydration.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    provide_context(Hydrated(hydrated.read_only()));
    let dispatcher = flux::provide_flux(&flux::page_data::current());
    flux::clock::start_ticking(dispatcher);

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Chirp".to_string() } else { format!("{page} · Chirp") }
        } />
        <Router>
            <flux::FollowNavigation />
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                <Header />
                <main class="main" id="main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/everyone") view=EveryonePage />
                        <Route path=path!("/login") view=LoginPage />
                        <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} />
                        <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} />
                        <Route path=path!("/logout") view={Lazy::<LogoutRoute>::new()} />
                        <Route path=path!("/u/:username") view={Lazy::<UserRoute>::new()} />
                        <Route path=path!("/tags/:tag") view={Lazy::<TagRoute>::new()} />
                        <Route path=path!("/t/:id") view={Lazy::<ThreadRoute>::new()} />
                        <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} />
                        <Route
                            path=path!("/notifications")
                            view={Lazy::<NotificationsRoute>::new()}
                        />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}

/// The page's data for the browser's state, in an attribute (escaped like
/// any other), rendered by the server only: the body is what hydrates.
#[component]
fn PageDataTag() -> impl IntoView {
    let json = serde_json::to_string(&flux::page_data::current()).unwrap_or_default();
    view! { <meta name=flux::page_data::META_NAME content=json /> }
}
