pub mod account;
pub mod home;
pub mod lazy;
pub mod not_found;
pub mod notifications;
pub mod tag;
pub mod thread;
pub mod user;
