//! The configuration and the command line, from one typed struct: every
//! setting is a flag and a `CHIRP_*` variable (twelve-factor), with the
//! defaults `.env.example` documents (a test holds the two equal).

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{builder::BoolishValueParser, ArgAction, Args, Parser, Subcommand, ValueEnum};
use leptos::prelude::LeptosOptions;

use crate::{passwords::BcryptCost, store::mongo::MongoSettings};

#[derive(Debug, Parser)]
#[command(name = "chirp-server", version, about = "Chirp, a small microblog")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Replay every event into fresh read models, then exit.
    RebuildReadModels,
    /// Add tweets by filler users, print a JSON report, then exit (for
    /// benchmarks).
    FillTweets(Fill),
    /// Run the user directory: another service's read model of the users,
    /// built from the Kafka topics alone (needs CHIRP_KAFKA_BROKERS).
    Directory {
        /// Its SQLite file (created if missing).
        #[arg(long, default_value = "data/directory.sqlite3")]
        db: PathBuf,
        /// Its consumer group.
        #[arg(long, default_value = "chirp-directory")]
        group: String,
        /// Empty the directory and read both topics from offset 0.
        #[arg(long, conflicts_with = "list")]
        rebuild: bool,
        /// Print the directory's users as JSON, one per line, and exit.
        #[arg(long)]
        list: bool,
    },
}

/// What `fill-tweets` adds: filler users (`bench_0`, `bench_1`, …), their
/// tweets, and optionally a follow graph and two long conversations.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Fill {
    pub tweets: u64,
    #[arg(default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub users: u32,
    /// Each filler user follows the next this many (wrapping round), so
    /// each has as many followers too.
    #[arg(long, default_value_t = 0)]
    pub follows: u32,
    /// Adds a tweet with this many replies, and a chain of this many
    /// replies each answering the one before.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub thread: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// Embedded: one file in the data directory.
    Sqlite,
    /// Production: a replica set (or mongos) at `MONGODB_URI`.
    Mongodb,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on [default: Leptos.toml's site-addr].
    #[arg(long, env = "CHIRP_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Where Leptos.toml is (the built site's location and name).
    #[arg(long, env = "CHIRP_LEPTOS_CONFIG", default_value = "Leptos.toml")]
    pub leptos_config: PathBuf,

    /// Which store.
    #[arg(long, env = "CHIRP_STORE", value_enum, default_value_t = StoreChoice::Sqlite)]
    pub store: StoreChoice,
    /// SQLite: the directory of chirp.sqlite3, created on first run.
    #[arg(long, env = "CHIRP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// MongoDB: the deployment, required with --store mongodb.
    #[arg(long, env = "MONGODB_URI", hide_env_values = true)]
    pub mongodb_uri: Option<String>,
    /// MongoDB: the database.
    #[arg(long, env = "CHIRP_MONGODB_DATABASE", default_value = "chirp")]
    pub mongodb_database: String,
    /// The deadline of every MongoDB operation, in milliseconds: past it
    /// a request gets 503 with Retry-After.
    #[arg(long, env = "CHIRP_STORE_TIMEOUT_MS", default_value_t = 1000)]
    pub store_timeout_ms: u64,
    /// Add demo users and tweets to an empty store.
    #[arg(long, env = "CHIRP_DEMO", action = ArgAction::Set, num_args = 0..=1,
          default_value_t = false, default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub demo: bool,
    /// bcrypt cost of password hashes.
    #[arg(long, env = "CHIRP_BCRYPT_COST", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(i64::from(BcryptCost::MIN_PRODUCTION)..=31))]
    pub bcrypt_cost: u32,
    /// This server's part of every id it makes (0 to 1023): each server
    /// sharing a store needs its own [default: random].
    #[arg(long, env = "CHIRP_NODE_ID",
          value_parser = clap::value_parser!(u16).range(0..=i64::from(crate::domain::MAX_NODE)))]
    pub node_id: Option<u16>,

    /// Drop `Secure` from the session cookie (and HSTS), for plain-HTTP
    /// local runs. Never in production.
    #[arg(long, env = "CHIRP_INSECURE_COOKIES", action = ArgAction::Set, num_args = 0..=1,
          default_value_t = false, default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub insecure_cookies: bool,
    /// How long a session lasts.
    #[arg(long, env = "CHIRP_SESSION_TTL_HOURS", default_value_t = 336)]
    pub session_ttl_hours: u64,
    /// A session not used for this many hours ends.
    #[arg(long, env = "CHIRP_SESSION_IDLE_HOURS", default_value_t = 168,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub session_idle_hours: u64,
    /// Login and sign-up attempts per client address: a burst...
    #[arg(long, env = "CHIRP_AUTH_RATE_BURST", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub auth_rate_burst: u32,
    /// ...then one more every this many seconds.
    #[arg(long, env = "CHIRP_AUTH_RATE_REFILL_SECS", default_value_t = 6,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub auth_rate_refill_secs: u64,
    /// Profile changes per user, and per client address: a burst...
    #[arg(long, env = "CHIRP_PROFILE_RATE_BURST", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub profile_rate_burst: u32,
    /// ...then one more every this many seconds.
    #[arg(long, env = "CHIRP_PROFILE_RATE_REFILL_SECS", default_value_t = 360,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub profile_rate_refill_secs: u64,
    /// Tweets per user: a burst...
    #[arg(long, env = "CHIRP_POST_RATE_BURST", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub post_rate_burst: u32,
    /// ...then one more every this many seconds.
    #[arg(long, env = "CHIRP_POST_RATE_REFILL_SECS", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub post_rate_refill_secs: u64,
    /// Requests served at once; beyond it the server sheds load with 503s.
    #[arg(long, env = "CHIRP_MAX_CONCURRENT_REQUESTS", default_value_t = 512,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_concurrent_requests: u64,
    /// A request taking longer than this many seconds gets 503.
    #[arg(long, env = "CHIRP_REQUEST_TIMEOUT_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_secs: u64,
    /// Seconds a client has to send a request's body (at most 16 KiB):
    /// past it, 408 and the connection closes.
    #[arg(long, env = "CHIRP_BODY_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_read_timeout_secs: u64,
    /// Seconds a client has to send a request's headers; also how long an
    /// idle keep-alive connection stays open (slowloris defence).
    #[arg(long, env = "CHIRP_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,
    /// Connections one peer address may hold open at once; more are closed
    /// as they arrive.
    #[arg(long, env = "CHIRP_MAX_CONNECTIONS_PER_IP", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections_per_ip: u64,
    /// The reverse proxies in front (addresses or networks, comma
    /// separated): from these peers only, the client's address is read
    /// from `X-Forwarded-For` or `Forwarded`; from anyone else those
    /// headers are ignored [default: none].
    #[arg(long, env = "CHIRP_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<Proxy>,
    /// The host names this server answers for (comma separated, any
    /// port): a request for another `Host` is refused with 400, which
    /// stops DNS rebinding. `*` answers for any. Health checks answer
    /// whatever the `Host`.
    #[arg(
        long,
        env = "CHIRP_ALLOWED_HOSTS",
        value_delimiter = ',',
        default_value = "localhost,127.0.0.1,[::1]"
    )]
    pub allowed_hosts: Vec<AllowedHost>,
    /// Kafka's bootstrap servers (`host:port`, comma separated). When set,
    /// the server publishes every user and tweet event to
    /// `chirp.user-events` and `chirp.tweets`; without it the changes are
    /// still recorded in the store's outbox, to be published once it is
    /// set [default: none].
    #[arg(long, env = "CHIRP_KAFKA_BROKERS")]
    pub kafka_brokers: Option<String>,
}

/// A host name a request may name in `Host`, or `*` for any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedHost {
    Any,
    Name(String),
}

impl std::str::FromStr for AllowedHost {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "*" {
            return Ok(Self::Any);
        }
        let valid = !text.is_empty() && !text.contains(['/', ':', ' ', '@'])
            || (text.starts_with('[') && text.ends_with(']'));
        if !valid {
            return Err(format!("{text:?} is not a host name (no scheme or port)"));
        }
        Ok(Self::Name(text.to_ascii_lowercase()))
    }
}

impl Config {
    /// Whether a request's `Host` header value (`name` or `name:port`)
    /// names this server.
    pub fn allows_host(&self, host: &str) -> bool {
        let name = match host.rsplit_once(':') {
            // `[::1]:3000`, `localhost:3000`; but `[::1]` has colons inside.
            Some((name, port)) if !port.contains(']') => name,
            _ => host,
        };
        self.allowed_hosts.iter().any(|allowed| match allowed {
            AllowedHost::Any => true,
            AllowedHost::Name(allowed) => allowed.eq_ignore_ascii_case(name),
        })
    }
}

/// A trusted proxy: one address, or a network (`10.0.0.0/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proxy(pub ipnet::IpNet);

impl std::str::FromStr for Proxy {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        text.parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map(Self)
            .map_err(|_| format!("{text:?} is neither an address nor a network"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("Leptos settings ({path}): {reason}")]
    Leptos { path: String, reason: String },
}

impl Config {
    /// The defaults, as a server started with nothing set has them (the
    /// environment still applies, as for the real binary).
    pub fn from_env() -> Self {
        Cli::parse_from(["chirp-server"]).config
    }

    /// The defaults with what tests need: plain-HTTP cookies, no rate
    /// limit, the lowest bcrypt cost (hashing strength is not under test,
    /// speed is welcome), and room for a slow test database.
    pub fn for_tests() -> Self {
        Self {
            insecure_cookies: true,
            auth_rate_burst: u32::MAX,
            profile_rate_burst: u32::MAX,
            post_rate_burst: u32::MAX,
            bcrypt_cost: 4,
            store_timeout_ms: 30_000,
            ..Self::from_env()
        }
    }

    /// cargo-leptos passes its settings as `LEPTOS_*` variables; a release
    /// binary started on its own reads `Leptos.toml`, with the same
    /// variables still overriding the file.
    pub fn leptos_options(&self) -> Result<LeptosOptions, ConfigError> {
        let path = self
            .leptos_config
            .exists()
            .then(|| self.leptos_config.to_string_lossy());
        let mut options = leptos::config::get_configuration(path.as_deref())
            .map_err(|e| ConfigError::Leptos {
                path: self.leptos_config.display().to_string(),
                reason: e.to_string(),
            })?
            .leptos_options;
        if let Some(addr) = self.addr {
            options.site_addr = addr;
        }
        Ok(options)
    }

    pub fn mongo_settings(&self) -> Result<MongoSettings, ConfigError> {
        let uri = self.mongodb_uri.clone().ok_or_else(|| {
            ConfigError::Invalid("MONGODB_URI is required with CHIRP_STORE=mongodb".into())
        })?;
        Ok(self.mongo_settings_for(uri))
    }

    /// These settings for the deployment at `uri`.
    pub fn mongo_settings_for(&self, uri: String) -> MongoSettings {
        MongoSettings {
            uri,
            database: self.mongodb_database.clone(),
            timeout: Duration::from_millis(self.store_timeout_ms),
        }
    }

    /// Tests and benchmarks may go below the production floor.
    pub fn bcrypt_cost(&self) -> BcryptCost {
        BcryptCost::insecure_for_tests(self.bcrypt_cost)
    }

    pub fn rates(&self) -> crate::services::limits::Rates {
        use crate::services::limits::RateLimit;
        let rate = |burst: u32, refill_secs: u64| RateLimit {
            burst: std::num::NonZeroU32::new(burst).unwrap_or(std::num::NonZeroU32::MIN),
            refill: Duration::from_secs(refill_secs),
        };
        crate::services::limits::Rates {
            auth: rate(self.auth_rate_burst, self.auth_rate_refill_secs),
            profile: rate(self.profile_rate_burst, self.profile_rate_refill_secs),
            posts: rate(self.post_rate_burst, self.post_rate_refill_secs),
        }
    }

    pub fn session_ttl(&self) -> Duration {
        Duration::from_secs(self.session_ttl_hours * 3600)
    }

    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(self.session_idle_hours * 3600)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn body_read_timeout(&self) -> Duration {
        Duration::from_secs(self.body_read_timeout_secs)
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn allowed_hosts_match_by_name_whatever_the_port() {
        let config = Config::from_env();
        for host in [
            "localhost",
            "localhost:3000",
            "LocalHost:80",
            "127.0.0.1:3000",
            "[::1]:3000",
            "[::1]",
        ] {
            assert!(config.allows_host(host), "{host}");
        }
        for host in [
            "rebind.evil.example:3000",
            "localhost.evil.example",
            "127.0.0.2",
            "",
            ":3000",
        ] {
            assert!(!config.allows_host(host), "{host}");
        }
        let any = Config {
            allowed_hosts: vec![AllowedHost::Any],
            ..Config::from_env()
        };
        assert!(any.allows_host("anything.example:1"));
        assert!("https://chirp.example".parse::<AllowedHost>().is_err());
        assert!("chirp.example:443".parse::<AllowedHost>().is_err());
    }

    /// `.env.example` lists every setting with its default: giving the
    /// file's values as flags must change nothing.
    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let example = include_str!("../../.env.example");
        let command = Cli::command();
        let mut args = vec!["chirp-server".to_string()];
        let mut documented = Vec::new();
        for line in example.lines().map(str::trim) {
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim_start_matches('#').trim();
            if line.starts_with('#') || name == "RUST_LOG" {
                continue;
            }
            let arg = command
                .get_arguments()
                .find(|arg| arg.get_env().is_some_and(|env| env == name))
                .unwrap_or_else(|| panic!("{name} in .env.example is no setting"));
            documented.push(name.to_string());
            args.push(format!("--{}={value}", arg.get_long().unwrap()));
        }
        let from_file = Cli::try_parse_from(&args).expect(".env.example parses");
        assert_eq!(
            format!("{:?}", from_file.config),
            format!("{:?}", Cli::parse_from(["chirp-server"]).config)
        );
        for arg in command.get_arguments() {
            if let Some(env) = arg.get_env() {
                assert!(
                    example.contains(&*env.to_string_lossy()),
                    "{env:?} is not documented in .env.example"
                );
            }
        }
        assert!(documented.len() > 10);
    }

    #[test]
    fn subcommands_parse() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.command);
        assert_eq!(parse(&["chirp-server"]).unwrap(), None);
        assert_eq!(
            parse(&["chirp-server", "rebuild-read-models"]).unwrap(),
            Some(Command::RebuildReadModels)
        );
        assert_eq!(
            parse(&["chirp-server", "fill-tweets", "5", "2"]).unwrap(),
            Some(Command::FillTweets(Fill {
                tweets: 5,
                users: 2,
                follows: 0,
                thread: 0,
            }))
        );
        assert_eq!(
            parse(&["chirp-server", "fill-tweets", "1000"]).unwrap(),
            Some(Command::FillTweets(Fill {
                tweets: 1000,
                users: 8,
                follows: 0,
                thread: 0,
            }))
        );
        assert_eq!(
            parse(&[
                "chirp-server",
                "fill-tweets",
                "1000000",
                "10000",
                "--follows",
                "200",
                "--thread",
                "500"
            ])
            .unwrap(),
            Some(Command::FillTweets(Fill {
                tweets: 1_000_000,
                users: 10_000,
                follows: 200,
                thread: 500,
            }))
        );
        assert!(parse(&["chirp-server", "fill-tweets"]).is_err());
        assert!(parse(&["chirp-server", "fill-tweets", "many"]).is_err());
        assert!(parse(&["chirp-server", "rebuild"]).is_err());
        assert!(
            parse(&["chirp-server", "--bcrypt-cost", "4"]).is_err(),
            "below 12"
        );
    }
}
