//! "Now", as relative tweet times see it. It starts at the server's render
//! time (so the first client render prints what the server printed) and
//! moves on with [`Action::Tick`].

use chrono::{DateTime, Utc};
use chrono_humanize::HumanTime;

use super::Action;

pub fn reduce(now: &mut DateTime<Utc>, action: &Action) {
    if let Action::Tick(at) = action {
        *now = *at;
    }
}

/// A timestamp as people read it: "now", "3 minutes ago", "2 days ago".
/// Times slightly ahead of `now` (another machine's clock) read "now"
/// rather than "in 2 seconds".
pub fn relative(timestamp: &str, now: DateTime<Utc>) -> String {
    match parse(timestamp) {
        Some(at) => HumanTime::from(at.min(now) - now).to_string(),
        None => timestamp.to_string(),
    }
}

/// "Joined November 2026": a profile's join date, by hand like
/// [`absolute`].
pub fn joined(timestamp: &str) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match parse(timestamp) {
        Some(at) => format!("Joined {} {}", MONTHS[at.month0() as usize], at.year()),
        None => String::new(),
    }
}

/// The absolute time for the tooltip, e.g. "2026-11-26 20:41 UTC".
/// Written out by hand: chrono's `format("%Y-%m-%d %H:%M UTC")` brings its
/// strftime parser and formatter, which made the main WASM chunk 6 KB
/// heavier gzipped (244,652 bytes against 238,670).
pub fn absolute(timestamp: &str) -> String {
    use chrono::{Datelike, Timelike};
    match parse(timestamp) {
        Some(at) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute()
        ),
        None => timestamp.to_string(),
    }
}

fn parse(timestamp: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(timestamp)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// How often relative times are refreshed in the browser.
#[cfg(feature = "hydrate")]
const TICK_MS: u32 = 30_000;

/// In the browser, after hydration: now, then every 30 s.
pub fn start_ticking(dispatcher: super::Dispatcher) {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(move || {
        dispatcher.dispatch(Action::Tick(Utc::now()));
        let _ = leptos::prelude::set_interval_with_handle(
            move || dispatcher.dispatch(Action::Tick(Utc::now())),
            std::time::Duration::from_millis(TICK_MS.into()),
        );
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = dispatcher;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        parse(s).unwrap()
    }

    #[test]
    fn tick_moves_now() {
        let mut now = at("2026-11-26T20:00:00Z");
        reduce(&mut now, &Action::Tick(at("2026-11-26T20:00:30Z")));
        assert_eq!(now, at("2026-11-26T20:00:30Z"));
        reduce(&mut now, &Action::SendTweet);
        assert_eq!(now, at("2026-11-26T20:00:30Z"), "other actions leave it");
    }

    #[test]
    fn relative_times_read_like_chrono_humanize() {
        let now = at("2026-11-26T20:00:00Z");
        assert_eq!(relative("2026-11-26T19:59:58Z", now), "now");
        assert_eq!(relative("2026-11-26T20:00:03Z", now), "now", "clock skew");
        assert_eq!(relative("2026-11-26T19:59:30Z", now), "30 seconds ago");
        assert_eq!(relative("2026-11-26T19:57:00Z", now), "3 minutes ago");
        assert_eq!(relative("2026-11-24T20:00:00Z", now), "2 days ago");
        assert_eq!(relative("not a time", now), "not a time");
    }

    #[test]
    fn a_join_date_is_a_month_and_a_year() {
        assert_eq!(joined("2026-11-26T19:00:00Z"), "Joined November 2026");
        assert_eq!(joined("2026-01-02T00:00:00Z"), "Joined January 2026");
        assert_eq!(joined("garbage"), "");
    }

    #[test]
    fn absolute_times_are_utc_to_the_minute() {
        assert_eq!(absolute("2026-11-26T20:41:07Z"), "2026-11-26 20:41 UTC");
    }
}
