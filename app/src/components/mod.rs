pub mod account;
pub mod composer;
pub mod form;
pub mod header;
pub mod icons;
pub mod profile;
pub mod timeline;
pub mod tweet;
