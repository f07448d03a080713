//! The tweet state: the timeline on screen, the posts on their way to the
//! server, the composer's draft, and what went wrong.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{
    page_data::PageData,
    types::{FormKind, TimelineKey},
    Action, Command,
};
use crate::api::{
    tweet_length, ErrorBody, ErrorCode, Reaction, TweetDto, PAGE_DEFAULT, TWEET_MAX_CHARS,
};

/// A post sent but not yet confirmed, shown at the top meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingTweet {
    pub local_id: u64,
    pub body: String,
    pub author: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TweetState {
    /// The timeline `tweets` belong to; `None` before any is loaded.
    pub key: Option<TimelineKey>,
    /// Confirmed tweets, newest first.
    pub tweets: Vec<TweetDto>,
    /// Newest first.
    pub pending: Vec<PendingTweet>,
    /// Whether "Load older" may find more.
    pub has_more: bool,
    /// A page is on its way.
    pub loading: bool,
    /// Why the timeline could not be loaded.
    pub load_error: Option<String>,
    /// The composer's text.
    pub draft: String,
    /// Why the last post was refused.
    pub post_error: Option<ErrorBody>,
    /// Tweets being deleted, gone from `tweets` meanwhile, with where they
    /// stood to put them back if the server refuses.
    deleting: Vec<(usize, TweetDto)>,
    /// The buttons ([`pending`]) whose like, repost or undo is on its
    /// way: another click on the same one waits.
    reacting: Vec<String>,
    /// Why the last deletion, like, repost or undo was refused.
    pub tweet_error: Option<String>,
    next_local_id: u64,
}

impl TweetState {
    pub fn seeded(data: &PageData) -> Self {
        let mut state = Self::default();
        if let Some(timeline) = &data.timeline {
            state.key = Some(timeline.key.clone());
            state.tweets = timeline.tweets.clone();
            state.has_more = timeline.has_more;
            state.load_error = timeline
                .error
                .as_ref()
                .map(|e| load_error(&timeline.key, e));
        }
        if let Some(feedback) = data.form.as_ref().filter(|f| f.form == FormKind::Tweet) {
            state.draft = feedback.values.get("body");
            state.post_error = Some(feedback.error.clone());
        }
        state
    }

    /// Whether the draft may be sent: not blank, not over the limit.
    pub fn can_send(&self) -> bool {
        let length = tweet_length(&self.draft);
        length > 0 && length <= TWEET_MAX_CHARS
    }
}

/// What the timeline says when it cannot be shown.
fn load_error(key: &TimelineKey, error: &ErrorBody) -> String {
    match (key, error.error) {
        (TimelineKey::Author(name) | TimelineKey::WithReplies(name), ErrorCode::NotFound) => {
            format!("There is no user called @{name}.")
        }
        (TimelineKey::Tag(tag), ErrorCode::NotFound) => {
            format!("#{tag} is not a hashtag: letters, digits and _ only.")
        }
        (TimelineKey::Replies(_), ErrorCode::NotFound) => {
            "This tweet doesn't exist, or was deleted.".into()
        }
        _ => format!("The tweets could not be loaded: {}.", error.message),
    }
}

/// `user` is the logged-in username (the author of a new post); `now`
/// stamps pending posts until the server's timestamp replaces it.
pub fn reduce(
    state: &mut TweetState,
    action: &Action,
    user: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<Command> {
    match action {
        Action::DraftChanged(text) => {
            state.draft = text.clone();
            state.post_error = None;
        }
        Action::SendTweet => return send(state, user, now),
        Action::ReceivedTweet { local_id, tweet } => confirm(state, *local_id, tweet),
        Action::TweetFailed { local_id, error } => refuse(state, *local_id, error),
        Action::ShowTimeline(key) => return show(state, key),
        Action::ShowThread { id, tweets } => show_thread(state, id, tweets),
        Action::LoadOlder => return load_older(state),
        Action::ReceivedTweets { key, tweets, older } => receive(state, key, tweets, *older),
        Action::TimelineFailed { key, error } if state.key.as_ref() == Some(key) => {
            state.loading = false;
            state.load_error = Some(load_error(key, error));
        }
        Action::DeleteTweet(id) => return delete(state, id),
        Action::TweetDeleted(id) => state.deleting.retain(|(_, t)| &t.id != id),
        Action::DeleteFailed { id, error } => undelete(state, id, error),
        // As the server answers the form: log in first.
        Action::React(..) if user.is_none() => return vec![Command::Navigate("/login")],
        Action::React(reaction, id) => return react(state, *reaction, id),
        Action::Reacted(reaction, id) => {
            let key = pending(*reaction, id);
            state.reacting.retain(|r| *r != key);
        }
        Action::ReactionFailed {
            reaction,
            id,
            error,
        } => {
            let key = pending(*reaction, id);
            if state.reacting.contains(&key) {
                state.reacting.retain(|r| *r != key);
                flip(state, *reaction, id);
            }
            state.tweet_error = Some(format!(
                "The {} could not be saved: {}.",
                reaction.as_str(),
                error.message.trim_end_matches('.')
            ));
        }
        Action::LoggedIn(_) | Action::LoggedOut => {
            // Another person's view: nothing of the previous one stays.
            *state = TweetState {
                next_local_id: state.next_local_id,
                ..TweetState::default()
            };
        }
        _ => {}
    }
    vec![]
}

fn send(state: &mut TweetState, user: Option<&str>, now: DateTime<Utc>) -> Vec<Command> {
    // An empty draft is also what stops a double click from posting
    // twice: the first click has already moved the text to pending.
    let Some(author) = user else { return vec![] };
    if !state.can_send() {
        return vec![];
    }
    let body = state.draft.trim().to_string();
    let local_id = state.next_local_id;
    state.next_local_id += 1;
    state.pending.insert(
        0,
        PendingTweet {
            local_id,
            body: body.clone(),
            author: author.to_string(),
            at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        },
    );
    state.draft.clear();
    state.post_error = None;
    let in_reply_to = match &state.key {
        Some(TimelineKey::Replies(id)) => Some(id.clone()),
        _ => None,
    };
    vec![Command::PostTweet {
        local_id,
        body,
        in_reply_to,
    }]
}

fn confirm(state: &mut TweetState, local_id: u64, tweet: &TweetDto) {
    state.pending.retain(|p| p.local_id != local_id);
    let Some(key) = state.key.as_ref().filter(|key| key.shows(tweet)) else {
        return;
    };
    if state.tweets.iter().any(|t| t.id == tweet.id) {
        return;
    }
    if let TimelineKey::Replies(parent) = key {
        // Oldest first: the reply goes last, and its parent counts it.
        if let Some(parent) = state.tweets.iter_mut().find(|t| &t.id == parent) {
            parent.replies += 1;
        }
        state.tweets.push(tweet.clone());
    } else {
        state.tweets.insert(0, tweet.clone());
    }
}

fn refuse(state: &mut TweetState, local_id: u64, error: &ErrorBody) {
    if let Some(i) = state.pending.iter().position(|p| p.local_id == local_id) {
        let failed = state.pending.remove(i);
        // Give the text back so it can be fixed, unless a new one is
        // already being written.
        if state.draft.trim().is_empty() {
            state.draft = failed.body;
        }
    }
    state.post_error = Some(error.clone());
}

fn delete(state: &mut TweetState, id: &str) -> Vec<Command> {
    let Some(at) = state.tweets.iter().position(|t| t.id == id) else {
        return vec![];
    };
    let tweet = state.tweets.remove(at);
    state.deleting.push((at, tweet));
    state.tweet_error = None;
    vec![Command::DeleteTweet { id: id.to_string() }]
}

/// Likes or reposts tweet `id` (or undoes it) at once; the server is
/// asked after.
fn react(state: &mut TweetState, reaction: Reaction, id: &str) -> Vec<Command> {
    let key = pending(reaction, id);
    if state.reacting.contains(&key) {
        return vec![];
    }
    let Some(on) = flip(state, reaction, id) else {
        return vec![];
    };
    state.reacting.push(key);
    state.tweet_error = None;
    vec![Command::React {
        reaction,
        id: id.to_string(),
        on,
    }]
}

/// The key of `reaction` to tweet `id` among those on their way, e.g.
/// `like:42`: a string, so the list shares its code with every other list
/// of strings in the WASM.
fn pending(reaction: Reaction, id: &str) -> String {
    format!("{}:{id}", reaction.as_str())
}

/// Turns the reader's `reaction` to tweet `id` over; whether it is on now.
fn flip(state: &mut TweetState, reaction: Reaction, id: &str) -> Option<bool> {
    let tweet = state.tweets.iter_mut().find(|t| t.id == id)?;
    Some(tweet.flip(reaction))
}

fn undelete(state: &mut TweetState, id: &str, error: &ErrorBody) {
    if let Some(i) = state.deleting.iter().position(|(_, t)| t.id == id) {
        let (at, tweet) = state.deleting.remove(i);
        state.tweets.insert(at.min(state.tweets.len()), tweet);
    }
    state.tweet_error = Some(format!(
        "The tweet could not be deleted: {}.",
        error.message.trim_end_matches('.')
    ));
}

/// The whole conversation, in the order shown, so its likes and deletions
/// go through the same reducer as a timeline's. It comes with its page:
/// the later replies are a link, never a fetch.
fn show_thread(state: &mut TweetState, id: &str, tweets: &[TweetDto]) {
    state.key = Some(TimelineKey::Replies(id.to_string()));
    state.tweets = tweets.to_vec();
    state.has_more = false;
    state.loading = false;
    state.load_error = None;
}

fn show(state: &mut TweetState, key: &TimelineKey) -> Vec<Command> {
    if state.key.as_ref() == Some(key) {
        return vec![];
    }
    state.key = Some(key.clone());
    state.tweets.clear();
    state.has_more = false;
    state.loading = true;
    state.load_error = None;
    vec![Command::FetchTweets {
        key: key.clone(),
        max_id: None,
    }]
}

fn load_older(state: &mut TweetState) -> Vec<Command> {
    let Some(key) = state.key.clone() else {
        return vec![];
    };
    if state.loading || !state.has_more {
        return vec![];
    }
    state.loading = true;
    state.load_error = None;
    vec![Command::FetchTweets {
        key,
        max_id: state.tweets.last().map(|t| t.cursor().to_string()),
    }]
}

/// A page of `key`'s timeline: `older` pages append, others replace.
fn receive(state: &mut TweetState, key: &TimelineKey, tweets: &[TweetDto], older: bool) {
    if state.key.as_ref() != Some(key) {
        return; // an answer for a timeline no longer shown
    }
    state.loading = false;
    state.has_more = tweets.len() >= PAGE_DEFAULT as usize;
    if older {
        // A tweet shown already (reposted since, say) stays where it is.
        let fresh: Vec<_> = tweets
            .iter()
            .filter(|t| !state.tweets.iter().any(|s| s.id == t.id))
            .cloned()
            .collect();
        state.tweets.extend(fresh);
    } else {
        state.tweets = tweets.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flux::page_data::Timeline;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn tweet(id: &str, by: &str) -> TweetDto {
        TweetDto {
            id: id.into(),
            body: format!("tweet {id}"),
            tweetedby: by.into(),
            timestamp: "2026-11-26T19:00:00Z".into(),
            likes: 0,
            liked: false,
            reposts: 0,
            reposted: false,
            reposted_by: None,
            repost_id: None,
            in_reply_to: None,
            replies: 0,
            mentions: Vec::new(),
        }
    }

    fn error(message: &str) -> ErrorBody {
        ErrorBody {
            error: ErrorCode::ValidationFailed,
            message: message.into(),
            details: Default::default(),
        }
    }

    fn home(tweets: Vec<TweetDto>) -> TweetState {
        TweetState::seeded(&PageData {
            timeline: Some(Timeline {
                key: TimelineKey::Everyone,
                tweets,
                has_more: true,
                error: None,
            }),
            ..PageData::default()
        })
    }

    fn run(state: &mut TweetState, action: Action) -> Vec<Command> {
        reduce(state, &action, Some("ann"), now())
    }

    #[test]
    fn seeding_takes_the_servers_timeline_as_is() {
        let state = home(vec![tweet("2", "bob"), tweet("1", "ann")]);
        assert_eq!(state.key, Some(TimelineKey::Everyone));
        assert_eq!(state.tweets.len(), 2);
        assert!(state.has_more);
        assert!(!state.loading);
    }

    fn thread() -> TweetState {
        let reply = TweetDto {
            in_reply_to: Some("2".into()),
            ..tweet("3", "ann")
        };
        let focus = TweetDto {
            replies: 1,
            ..tweet("2", "bob")
        };
        let mut state = TweetState::default();
        let shown = Action::ShowThread {
            id: "2".into(),
            tweets: vec![tweet("1", "bob"), focus, reply],
        };
        assert_eq!(run(&mut state, shown), vec![], "nothing to fetch");
        state
    }

    #[test]
    fn a_thread_holds_its_conversation_in_reading_order() {
        let state = thread();
        assert_eq!(state.key, Some(TimelineKey::Replies("2".into())));
        let ids: Vec<&str> = state.tweets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
    }

    #[test]
    fn a_reply_sent_from_a_thread_answers_its_tweet_and_lands_last() {
        let mut state = thread();
        run(&mut state, Action::DraftChanged("me too".into()));
        let commands = run(&mut state, Action::SendTweet);
        assert_eq!(
            commands,
            vec![Command::PostTweet {
                local_id: 0,
                body: "me too".into(),
                in_reply_to: Some("2".into()),
            }]
        );
        let reply = TweetDto {
            in_reply_to: Some("2".into()),
            ..tweet("4", "ann")
        };
        run(
            &mut state,
            Action::ReceivedTweet {
                local_id: 0,
                tweet: reply,
            },
        );
        assert_eq!(state.tweets.last().map(|t| t.id.as_str()), Some("4"));
        assert_eq!(state.tweets[1].replies, 2, "the tweet counts it at once");
        assert!(state.pending.is_empty());
    }

    #[test]
    fn sending_moves_the_draft_to_pending_at_the_top_and_posts_it_once() {
        let mut state = home(vec![tweet("1", "bob")]);
        run(&mut state, Action::DraftChanged("  hello  ".into()));
        let commands = run(&mut state, Action::SendTweet);
        assert_eq!(
            commands,
            vec![Command::PostTweet {
                local_id: 0,
                body: "hello".into(),
                in_reply_to: None,
            }]
        );
        assert_eq!(state.pending[0].body, "hello");
        assert_eq!(state.pending[0].author, "ann");
        assert_eq!(state.pending[0].at, "2026-11-26T20:00:00Z");
        assert_eq!(state.draft, "");
        // The second click of a double click finds nothing to send.
        assert_eq!(run(&mut state, Action::SendTweet), vec![]);
        assert_eq!(state.pending.len(), 1);
    }

    #[test]
    fn nothing_is_sent_blank_over_the_limit_or_logged_out() {
        let mut state = home(vec![]);
        run(&mut state, Action::DraftChanged("   ".into()));
        assert_eq!(run(&mut state, Action::SendTweet), vec![]);
        run(&mut state, Action::DraftChanged("a".repeat(281)));
        assert!(!state.can_send());
        assert_eq!(run(&mut state, Action::SendTweet), vec![]);
        run(&mut state, Action::DraftChanged("👍🏽".repeat(280)));
        assert!(state.can_send(), "280 graphemes are allowed");
        assert_eq!(reduce(&mut state, &Action::SendTweet, None, now()), vec![]);
        assert!(state.pending.is_empty());
    }

    #[test]
    fn a_confirmed_post_replaces_its_pending_copy_at_the_top() {
        let mut state = home(vec![tweet("1", "bob")]);
        run(&mut state, Action::DraftChanged("hello".into()));
        run(&mut state, Action::SendTweet);
        run(
            &mut state,
            Action::ReceivedTweet {
                local_id: 0,
                tweet: tweet("9", "ann"),
            },
        );
        assert!(state.pending.is_empty());
        assert_eq!(state.tweets[0].id, "9");
        assert_eq!(state.tweets.len(), 2);
        // The same answer twice does not show the tweet twice.
        run(
            &mut state,
            Action::ReceivedTweet {
                local_id: 0,
                tweet: tweet("9", "ann"),
            },
        );
        assert_eq!(state.tweets.len(), 2);
    }

    #[test]
    fn a_confirmed_post_stays_off_another_users_timeline() {
        let mut state = TweetState {
            key: Some(TimelineKey::Author("bob".into())),
            ..TweetState::default()
        };
        run(
            &mut state,
            Action::ReceivedTweet {
                local_id: 0,
                tweet: tweet("9", "ann"),
            },
        );
        assert!(state.tweets.is_empty());
    }

    #[test]
    fn a_refused_post_is_removed_with_its_error_and_its_text_given_back() {
        let mut state = home(vec![]);
        run(&mut state, Action::DraftChanged("hello".into()));
        run(&mut state, Action::SendTweet);
        run(
            &mut state,
            Action::TweetFailed {
                local_id: 0,
                error: error("too long"),
            },
        );
        assert!(state.pending.is_empty());
        assert_eq!(state.post_error.as_ref().unwrap().message, "too long");
        assert_eq!(state.draft, "hello");
        // Typing again clears the error.
        run(&mut state, Action::DraftChanged("hello!".into()));
        assert_eq!(state.post_error, None);
    }

    #[test]
    fn load_older_follows_the_cursor_of_the_oldest_tweet_once_at_a_time() {
        let mut state = home(vec![tweet("2", "bob"), tweet("1", "ann")]);
        let commands = run(&mut state, Action::LoadOlder);
        assert_eq!(
            commands,
            vec![Command::FetchTweets {
                key: TimelineKey::Everyone,
                max_id: Some("1".into())
            }]
        );
        assert!(state.loading);
        assert_eq!(
            run(&mut state, Action::LoadOlder),
            vec![],
            "already loading"
        );
        run(
            &mut state,
            Action::ReceivedTweets {
                key: TimelineKey::Everyone,
                tweets: vec![tweet("1", "ann"), tweet("0", "bob")],
                older: true,
            },
        );
        let ids: Vec<_> = state.tweets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["2", "1", "0"], "appended, without duplicates");
        assert!(!state.loading);
        assert!(!state.has_more, "a short page is the last one");
        assert_eq!(run(&mut state, Action::LoadOlder), vec![]);
    }

    #[test]
    fn showing_another_timeline_loads_it_and_ignores_late_answers_for_the_old_one() {
        let mut state = home(vec![tweet("1", "ann")]);
        assert_eq!(
            run(&mut state, Action::ShowTimeline(TimelineKey::Everyone)),
            vec![],
            "already shown: no second fetch"
        );
        let bob = TimelineKey::Author("bob".into());
        let commands = run(&mut state, Action::ShowTimeline(bob.clone()));
        assert_eq!(
            commands,
            vec![Command::FetchTweets {
                key: bob.clone(),
                max_id: None
            }]
        );
        assert!(state.tweets.is_empty());
        run(
            &mut state,
            Action::ReceivedTweets {
                key: TimelineKey::Everyone,
                tweets: vec![tweet("5", "ann")],
                older: false,
            },
        );
        assert!(state.tweets.is_empty(), "late answer ignored");
        run(
            &mut state,
            Action::ReceivedTweets {
                key: bob.clone(),
                tweets: vec![tweet("3", "bob")],
                older: false,
            },
        );
        assert_eq!(state.tweets[0].id, "3");
    }

    #[test]
    fn a_failed_load_says_why() {
        let bob = TimelineKey::Author("bob".into());
        let mut state = TweetState::default();
        run(&mut state, Action::ShowTimeline(bob.clone()));
        run(
            &mut state,
            Action::TimelineFailed {
                key: bob,
                error: error("storage unavailable"),
            },
        );
        assert!(!state.loading);
        assert_eq!(
            state.load_error.as_deref(),
            Some("The tweets could not be loaded: storage unavailable.")
        );
    }

    #[test]
    fn an_unknown_author_is_named() {
        let ghost = TimelineKey::Author("ghost".into());
        let state = TweetState::seeded(&PageData {
            timeline: Some(Timeline {
                key: ghost,
                tweets: vec![],
                has_more: false,
                error: Some(ErrorBody {
                    error: ErrorCode::NotFound,
                    message: "not found".into(),
                    details: Default::default(),
                }),
            }),
            ..PageData::default()
        });
        assert_eq!(
            state.load_error.as_deref(),
            Some("There is no user called @ghost.")
        );
    }

    #[test]
    fn a_like_turns_at_once_and_turns_back_if_refused() {
        let like = |id: &str| Action::React(Reaction::Like, id.into());
        let mut state = home(vec![tweet("2", "bob"), tweet("1", "bob")]);
        let commands = run(&mut state, like("2"));
        assert_eq!(
            commands,
            vec![Command::React {
                reaction: Reaction::Like,
                id: "2".into(),
                on: true
            }]
        );
        assert!(state.tweets[0].liked);
        assert_eq!(state.tweets[0].likes, 1);
        // A second click while the first is on its way waits for it.
        assert_eq!(run(&mut state, like("2")), vec![]);
        run(
            &mut state,
            Action::ReactionFailed {
                reaction: Reaction::Like,
                id: "2".into(),
                error: error("storage unavailable"),
            },
        );
        assert!(!state.tweets[0].liked);
        assert_eq!(state.tweets[0].likes, 0);
        assert_eq!(
            state.tweet_error.as_deref(),
            Some("The like could not be saved: storage unavailable.")
        );
        run(&mut state, like("2"));
        run(&mut state, Action::Reacted(Reaction::Like, "2".into()));
        let unlike = run(&mut state, like("2"));
        assert_eq!(
            unlike,
            vec![Command::React {
                reaction: Reaction::Like,
                id: "2".into(),
                on: false
            }]
        );
        assert_eq!((state.tweets[0].liked, state.tweets[0].likes), (false, 0));
        assert_eq!(run(&mut state, like("9")), vec![], "not shown");
        let logged_out = reduce(&mut state, &like("2"), None, now());
        assert_eq!(logged_out, vec![Command::Navigate("/login")]);
    }

    #[test]
    fn a_repost_counts_at_once_apart_from_the_like() {
        let mut state = home(vec![tweet("2", "bob")]);
        run(&mut state, Action::React(Reaction::Like, "2".into()));
        // The like still on its way does not hold the repost back.
        let commands = run(&mut state, Action::React(Reaction::Repost, "2".into()));
        assert_eq!(
            commands,
            vec![Command::React {
                reaction: Reaction::Repost,
                id: "2".into(),
                on: true
            }]
        );
        let t = &state.tweets[0];
        assert_eq!(
            (t.reposted, t.reposts, t.liked, t.likes),
            (true, 1, true, 1)
        );
        run(
            &mut state,
            Action::ReactionFailed {
                reaction: Reaction::Repost,
                id: "2".into(),
                error: error("storage unavailable"),
            },
        );
        let t = &state.tweets[0];
        assert_eq!((t.reposted, t.reposts, t.liked), (false, 0, true));
        assert_eq!(
            state.tweet_error.as_deref(),
            Some("The repost could not be saved: storage unavailable.")
        );
    }

    #[test]
    fn an_older_page_leaves_out_what_is_shown_already() {
        let reposted = TweetDto {
            reposted_by: Some("cat".into()),
            repost_id: Some("9".into()),
            ..tweet("2", "bob")
        };
        let mut state = home(vec![reposted, tweet("3", "bob")]);
        run(&mut state, Action::LoadOlder);
        run(
            &mut state,
            Action::ReceivedTweets {
                key: TimelineKey::Everyone,
                tweets: vec![tweet("2", "bob"), tweet("1", "bob")],
                older: true,
            },
        );
        let ids: Vec<&str> = state.tweets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["2", "3", "1"]);
        assert_eq!(state.tweets[0].reposted_by.as_deref(), Some("cat"));
    }

    #[test]
    fn load_older_after_a_repost_follows_the_repost_s_place() {
        let mut state = home(vec![TweetDto {
            reposted_by: Some("cat".into()),
            repost_id: Some("7".into()),
            ..tweet("2", "bob")
        }]);
        let commands = run(&mut state, Action::LoadOlder);
        assert_eq!(
            commands,
            vec![Command::FetchTweets {
                key: TimelineKey::Everyone,
                max_id: Some("7".into())
            }]
        );
    }

    #[test]
    fn a_deleted_tweet_goes_at_once_and_comes_back_in_place_if_refused() {
        let mut state = home(vec![
            tweet("3", "ann"),
            tweet("2", "ann"),
            tweet("1", "bob"),
        ]);
        let commands = run(&mut state, Action::DeleteTweet("2".into()));
        assert_eq!(commands, vec![Command::DeleteTweet { id: "2".into() }]);
        let ids = |s: &TweetState| s.tweets.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&state), ["3", "1"]);
        run(
            &mut state,
            Action::DeleteFailed {
                id: "2".into(),
                error: error("storage unavailable"),
            },
        );
        assert_eq!(ids(&state), ["3", "2", "1"], "back where it was");
        assert_eq!(
            state.tweet_error.as_deref(),
            Some("The tweet could not be deleted: storage unavailable.")
        );
        run(&mut state, Action::DeleteTweet("2".into()));
        run(&mut state, Action::TweetDeleted("2".into()));
        assert_eq!(ids(&state), ["3", "1"]);
        assert_eq!(state.tweet_error, None);
        assert_eq!(
            run(&mut state, Action::DeleteTweet("2".into())),
            vec![],
            "gone already"
        );
    }

    #[test]
    fn logging_in_or_out_forgets_the_previous_view() {
        let mut state = home(vec![tweet("1", "ann")]);
        run(&mut state, Action::DraftChanged("draft".into()));
        run(&mut state, Action::LoggedOut);
        assert_eq!(state.key, None);
        assert!(state.tweets.is_empty());
        assert_eq!(state.draft, "");
    }
}
