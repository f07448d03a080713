//! Chirp's server tests in one binary (one link on a 2-core machine, not
//! fifteen): the real app on port 0 with a fresh store per test, on SQLite
//! and on MongoDB, spoken to over HTTP; and the stores under their one
//! contract.

// A test stops at its first failure; `unwrap` says where, which is all a
// test's helpers need to say.
#![allow(clippy::unwrap_used)]

mod helpers;

mod accounts;
mod api_bad_input;
mod api_endpoints;
mod api_follows;
mod api_likes;
mod api_matrix;
mod api_notifications;
mod api_replies;
mod api_reposts;
mod api_search;
mod api_security;
mod api_sessions;
mod app_shell;
mod commands;
mod fill_tweets;
mod hardening;
mod kafka;
mod kafka_faults;
mod mongo_faults;
mod no_secrets_in_logs;
mod page_fuzz;
mod pages_forms;
mod pages_social;
mod scale_out;
mod slow_clients;
mod sqlite_store;
mod static_files;
mod store_concurrency;
mod store_contract;
