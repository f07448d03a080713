//! The routes a visitor rarely opens first, each compiled into its own WASM
//! chunk (`cargo leptos build --split`) so `/` does not download them.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::account::{LogoutPage, ProfilePage, SignUpPage};
use super::{
    notifications::NotificationsPage, search::SearchPage, tag::TagPage, thread::ThreadPage,
    user::UserPage,
};

macro_rules! lazy_page {
    ($route:ident => $page:ident) => {
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(SignUpRoute => SignUpPage);
lazy_page!(ProfileRoute => ProfilePage);
lazy_page!(LogoutRoute => LogoutPage);
lazy_page!(UserRoute => UserPage);
lazy_page!(TagRoute => TagPage);
lazy_page!(ThreadRoute => ThreadPage);
lazy_page!(NotificationsRoute => NotificationsPage);
lazy_page!(SearchRoute => SearchPage);
