//! Kafka for the tests: the broker the test command runs
//! (`CHIRP_KAFKA_BROKERS`), brokers of a test's own that it stops and kills
//! (`CHIRP_NISSHI`, the nisshi binary), the relay on a test's store, and a
//! reader that takes a topic from offset 0.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use rdkafka::{
    config::ClientConfig,
    consumer::{Consumer, StreamConsumer},
    message::Message as _,
    Offset, TopicPartitionList,
};
use server::{
    domain::Id,
    publish::{
        envelope::{Envelope, TWEETS_TOPIC, USER_EVENTS_TOPIC},
        relay::Relay,
    },
    store::Store,
};
use tokio::sync::oneshot;

/// The test command's broker, or `None` (said on stderr, so the run can
/// count it as skipped) when it is not set.
pub fn shared_brokers() -> Option<String> {
    let brokers = std::env::var("CHIRP_KAFKA_BROKERS").ok();
    if brokers.is_none() {
        eprintln!("skipped: CHIRP_KAFKA_BROKERS not set");
    }
    brokers
}

/// A nisshi broker of the test's own, storing in SQLite in a directory of
/// its own, with both topics (3 partitions each) created.
pub struct TestBroker {
    binary: String,
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl TestBroker {
    pub async fn start() -> Option<Self> {
        let Ok(binary) = std::env::var("CHIRP_NISSHI") else {
            eprintln!("skipped: CHIRP_NISSHI not set");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut broker = Self {
            binary,
            port,
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        broker.restart();
        for topic in [USER_EVENTS_TOPIC, TWEETS_TOPIC] {
            broker.create_topic(topic).await;
        }
        Some(broker)
    }

    pub fn brokers(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts it (again) on the same port and storage.
    pub fn restart(&mut self) {
        let url = format!("tcp://127.0.0.1:{}", self.port);
        let child = Command::new(&self.binary)
            .current_dir(self.dir.path())
            .args(["broker", "--storage-engine", "sqlite://broker.sqlite"])
            .args(["--listener-url", &url, "--advertised-listener-url", &url])
            .args(["--group-initial-rebalance-delay", "100ms"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("CHIRP_NISSHI runs");
        self.child = Some(child);
    }

    /// `kill -9`: no chance to flush or say goodbye.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, and waits until it has gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    async fn create_topic(&self, topic: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let status = Command::new(&self.binary)
                .current_dir(self.dir.path())
                .args(["topic", "create", topic, "--partitions", "3"])
                .args(["--config", "retention.ms=-1"])
                .args(["--broker", &format!("tcp://127.0.0.1:{}", self.port)])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            if status.success() {
                return;
            }
            assert!(Instant::now() < deadline, "nisshi did not create {topic}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The relay on a test's store, stopped when dropped.
pub struct RunningRelay {
    _stop: oneshot::Sender<()>,
}

pub fn start_relay(store: &Store, brokers: &str) -> RunningRelay {
    let (stop, stopped) = oneshot::channel::<()>();
    let relay = Relay::new(store.outbox.clone(), brokers).unwrap();
    tokio::spawn(relay.run(async {
        let _ = stopped.await;
    }));
    RunningRelay { _stop: stop }
}

/// One message as a consumer received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub partition: i32,
    pub key: String,
    pub payload: String,
    pub envelope: Envelope,
}

/// How many partitions `topic` has.
pub fn partitions(brokers: &str, topic: &str) -> usize {
    let consumer = consumer(brokers);
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap();
    metadata.topics()[0].partitions().len()
}

fn consumer(brokers: &str) -> StreamConsumer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("chirp-test-{}", Id::generate()))
        .set("enable.auto.commit", "false")
        .create()
        .unwrap()
}

/// Reads `topic` from offset 0 on every partition, in each partition's
/// order, until `done` says what arrived is enough (failing after two
/// minutes).
pub async fn read_until(
    brokers: &str,
    topic: &str,
    done: impl Fn(&[Received]) -> bool,
) -> Vec<Received> {
    let consumer = consumer(brokers);
    let mut all = TopicPartitionList::new();
    for partition in 0..partitions(brokers, topic) {
        all.add_partition_offset(topic, partition as i32, Offset::Beginning)
            .unwrap();
    }
    consumer.assign(&all).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut received = Vec::new();
    // `done` is asked when the topic pauses or every 1,024 messages, not
    // after each one: it may look at everything received so far.
    let mut ask = true;
    loop {
        if ask && done(&received) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{topic}: still waiting after two minutes, with {} messages",
            received.len()
        );
        let Ok(message) = tokio::time::timeout(Duration::from_millis(300), consumer.recv()).await
        else {
            ask = true;
            continue;
        };
        let message = message.unwrap();
        let payload = String::from_utf8(message.payload().unwrap().to_vec()).unwrap();
        received.push(Received {
            partition: message.partition(),
            key: String::from_utf8(message.key().unwrap().to_vec()).unwrap(),
            envelope: serde_json::from_str(&payload).unwrap(),
            payload,
        });
        ask = received.len() % 1024 == 0;
    }
    received
}

/// The messages `keep` keeps, each event once (a redelivery is dropped),
/// in the order they first arrived.
pub fn first_arrivals(received: &[Received], keep: impl Fn(&Received) -> bool) -> Vec<&Received> {
    let mut seen = std::collections::HashSet::new();
    received
        .iter()
        .filter(|r| keep(r) && seen.insert(r.envelope.event_id.clone()))
        .collect()
}
