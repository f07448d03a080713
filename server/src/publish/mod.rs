//! Publishing to Kafka: the envelope other services read, the relay that
//! empties the store's outbox into the topics, and the user directory, a
//! separate consumer that builds its own read model from them.

pub mod directory;
pub mod envelope;
pub mod relay;
