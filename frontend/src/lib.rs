//! The browser half of Chirp: hydrates the server-rendered page.

// The app's view types nest deeply; the default limit overflows while the
// release build monomorphizes them.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Release builds abort on a panic without a message
    // (scripts/build-release.sh), so the hook only serves debug builds.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Async hydration: a page on a lazy route waits for its WASM chunk.
    leptos::mount::hydrate_lazy(app::App);
}
