//! The command line of `api-mock` (API.md, Command line), parsed by clap: `--help` prints every
//! option and exits 0; an unknown option, a missing or bad value, or `--data` with
//! `--in-memory` exits 2 with a message.

use std::path::PathBuf;

use clap::Parser;

/// Where the first state comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedSource {
    /// The built-in demo network.
    Demo,
    /// A seed file in the format of API.md.
    File(PathBuf),
}

/// Simulated latency: a fixed delay or a uniform range, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl Latency {
    /// `N` or `MIN-MAX`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let number = |s: &str| {
            s.trim().parse::<u64>().map_err(|_| {
                format!("--latency-ms needs N or MIN-MAX in milliseconds, not {text:?}")
            })
        };
        let (min_ms, max_ms) = match text.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(text)?;
                (n, n)
            }
        };
        if min_ms > max_ms || max_ms > 60_000 {
            return Err(format!(
                "--latency-ms range must be MIN <= MAX <= 60000, not {text:?}"
            ));
        }
        Ok(Self { min_ms, max_ms })
    }

    pub fn is_off(&self) -> bool {
        self.max_ms == 0
    }

    /// As shown by `GET /api/health`: `"300"` or `"100-500"`.
    pub fn label(&self) -> String {
        if self.min_ms == self.max_ms {
            self.min_ms.to_string()
        } else {
            format!("{}-{}", self.min_ms, self.max_ms)
        }
    }
}

/// Everything the command line sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub seed: SeedSource,
    /// `None` with `--in-memory`.
    pub data: Option<PathBuf>,
    pub static_dir: Option<PathBuf>,
    pub latency: Latency,
    pub fail_rate: f64,
    pub chaos_seed: u64,
    /// Requests generated on top of the seed when the state starts from it (and on reset).
    pub generate_requests: usize,
    /// The shared password of a demo that faces a network (`gate`).
    pub password_file: Option<PathBuf>,
    /// Listen beyond loopback without a password, on purpose.
    pub public: bool,
    /// The address users see (behind a proxy): `https://…` makes the password cookie `Secure`.
    pub base_url: Option<String>,
    /// A session idle this long ends (`--session-idle-hours`).
    pub session_idle_hours: u64,
    /// At most this many sessions; a new one ends the one idle longest (`--max-sessions`).
    pub max_sessions: usize,
    /// `--study FILE`: a study loaded at start (one stored in the database wins).
    pub study: Option<PathBuf>,
    /// `--facilitator-key-file FILE`: the facilitator's key; else a new one each start.
    pub facilitator_key_file: Option<PathBuf>,
}

impl Config {
    /// `--session-idle-hours` as a duration.
    pub fn session_idle(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.session_idle_hours.saturating_mul(3600))
    }
}

/// What the command line asks for: serve (the default), or copy the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Serve(Config),
    /// `api-mock backup OUT.db [--data FILE]`: SQLite's online backup, safe while a server runs.
    Backup {
        data: PathBuf,
        out: PathBuf,
    },
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8080,
            seed: SeedSource::Demo,
            data: Some(PathBuf::from("data/collab.db")),
            static_dir: None,
            latency: Latency {
                min_ms: 0,
                max_ms: 0,
            },
            fail_rate: 0.0,
            chaos_seed: 1,
            generate_requests: 0,
            password_file: None,
            public: false,
            base_url: None,
            session_idle_hours: crate::sessions::DEFAULT_IDLE_HOURS,
            max_sessions: crate::sessions::DEFAULT_MAX,
            study: None,
            facilitator_key_file: None,
        }
    }
}

/// The arguments as clap reads them; [`Config::from_args`] turns them into a [`Config`].
#[derive(Debug, Parser)]
#[command(
    name = "api-mock",
    version,
    about = "The mock API of the Collaboration screens (API.md), optionally serving the built client.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The first state: `demo` (the built-in network) or a seed file.
    #[arg(long, value_name = "FILE|demo", default_value = "demo", value_parser = parse_seed)]
    seed: SeedSource,
    /// The database where the state persists (SQLite); an existing one wins over the seed.
    /// A new database imports an earlier JSON data file: `--data x.json` means `x.db`
    /// importing `x.json`, and a `state.json` beside the database is imported (left as it is).
    #[arg(long, value_name = "FILE", default_value = "data/collab.db")]
    data: PathBuf,
    /// Keep the state in memory only (nothing is written).
    #[arg(long, conflicts_with = "data")]
    in_memory: bool,
    /// The built client to serve (deep links fall back to its index.html).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Simulated latency of `/api` calls: N or MIN-MAX milliseconds (uniform, from --chaos-seed).
    #[arg(long, value_name = "N|MIN-MAX", default_value = "0", value_parser = Latency::parse)]
    latency_ms: Latency,
    /// Share of `/api` calls (not /api/health) that answer 503, from 0 to 1.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_fail_rate)]
    fail_rate: f64,
    /// Seed of the latency and failure draws, so a run can be repeated.
    #[arg(long, value_name = "N", default_value_t = 1)]
    chaos_seed: u64,
    /// Generate N more requests over the seed's network (through the rules: new patients of
    /// both sharing preferences, assignments, some closed) when the state starts from the seed,
    /// so large folders can be tried; an existing database is not changed.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    generate_requests: u64,
    /// Hours a session may stay unused before it ends (sessions survive restarts).
    #[arg(long, value_name = "H", default_value_t = crate::sessions::DEFAULT_IDLE_HOURS, value_parser = clap::value_parser!(u64).range(1..=8760))]
    session_idle_hours: u64,
    /// Most sessions open at once; a new one ends the one idle longest.
    #[arg(long, value_name = "N", default_value_t = crate::sessions::DEFAULT_MAX as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_sessions: u64,
    /// A file holding the one password every browser gives once (needed to listen on an
    /// address other than loopback, unless --public).
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Listen on an address other than loopback without a password.
    #[arg(long, conflicts_with = "password_file")]
    public: bool,
    /// The address users reach the server at (behind a reverse proxy), e.g.
    /// https://collab.example.org: https makes the password cookie Secure.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,
    /// A study file to load at start (API.md "Research studies"); refused, naming the bad
    /// entry, if invalid. A study already stored in the database wins over it.
    #[arg(long, value_name = "FILE")]
    study: Option<PathBuf>,
    /// A file holding the facilitator's key (at least 16 characters); without it a new key is
    /// printed at every start as `facilitator key: KEY`.
    #[arg(long, value_name = "FILE")]
    facilitator_key_file: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Copy the database to OUT.db with SQLite's online backup (safe while the server runs).
    Backup {
        /// The copy to write; must not exist yet.
        #[arg(value_name = "OUT.db")]
        out: PathBuf,
        /// The database to copy.
        #[arg(long, value_name = "FILE", default_value = "data/collab.db")]
        data: PathBuf,
    },
}

fn parse_base_url(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| format!("--base-url needs an http:// or https:// address, not {text:?}"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("--base-url needs a host, not {text:?}"));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// Whether `host` only reaches this machine.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn parse_seed(text: &str) -> Result<SeedSource, String> {
    Ok(if text == "demo" {
        SeedSource::Demo
    } else {
        SeedSource::File(PathBuf::from(text))
    })
}

fn parse_fail_rate(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|f| (0.0..=1.0).contains(f))
        .ok_or_else(|| format!("--fail-rate needs a number from 0 to 1, not {text:?}"))
}

impl Config {
    /// Parses the whole command line, program name first. The error prints clap's message
    /// (or the help or version text) and knows its exit code: 0 for `--help`, 2 otherwise.
    pub fn from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        match Command::from_args(args)? {
            Command::Serve(config) => Ok(config),
            Command::Backup { .. } => Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::InvalidSubcommand,
                "backup is not a server configuration",
            )),
        }
    }
}

impl Command {
    /// Parses the whole command line, program name first (see [`Config::from_args`]). A server
    /// that would listen beyond loopback with neither `--password-file` nor `--public` is
    /// refused here, before anything is loaded or bound.
    pub fn from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let cli = Cli::try_parse_from(args)?;
        if let Some(Sub::Backup { out, data }) = cli.command {
            return Ok(Command::Backup { data, out });
        }
        if !is_loopback(&cli.host) && cli.password_file.is_none() && !cli.public {
            return Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::MissingRequiredArgument,
                format!(
                    "--host {} faces a network: anyone who reaches it could sign in as any \
                     persona. Give --password-file FILE (one shared password), or --public to \
                     run without one on purpose.",
                    cli.host
                ),
            ));
        }
        Ok(Command::Serve(Config {
            host: cli.host,
            port: cli.port,
            seed: cli.seed,
            data: (!cli.in_memory).then_some(cli.data),
            static_dir: cli.static_dir,
            latency: cli.latency_ms,
            fail_rate: cli.fail_rate,
            chaos_seed: cli.chaos_seed,
            generate_requests: cli.generate_requests as usize,
            password_file: cli.password_file,
            public: cli.public,
            base_url: cli.base_url,
            study: cli.study,
            facilitator_key_file: cli.facilitator_key_file,
            session_idle_hours: cli.session_idle_hours,
            max_sessions: cli.max_sessions as usize,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::from_args(std::iter::once("api-mock").chain(args.iter().copied()))
    }

    fn message(args: &[&str]) -> String {
        parse(args).expect_err("refused").to_string()
    }

    #[test]
    fn defaults_match_api_md() {
        let c = parse(&[]).expect("no arguments is valid");
        assert_eq!(c, Config::default());
        assert_eq!(c.host, "127.0.0.1");
        assert_eq!(c.port, 8080);
        assert_eq!(c.seed, SeedSource::Demo);
        assert_eq!(c.data, Some(PathBuf::from("data/collab.db")));
        assert!(c.latency.is_off());
        assert_eq!(c.fail_rate, 0.0);
    }

    #[test]
    fn every_flag_is_understood() {
        let c = parse(&[
            "--host",
            "0.0.0.0",
            "--public",
            "--port=0",
            "--seed",
            "s.json",
            "--in-memory",
            "--static",
            "dist",
            "--latency-ms",
            "100-300",
            "--fail-rate",
            "0.25",
            "--chaos-seed",
            "9",
        ])
        .expect("valid");
        assert_eq!(c.port, 0);
        assert_eq!(c.seed, SeedSource::File("s.json".into()));
        assert_eq!(c.data, None);
        assert_eq!(c.static_dir, Some(PathBuf::from("dist")));
        assert_eq!(c.latency.label(), "100-300");
        assert_eq!(c.fail_rate, 0.25);
        assert_eq!(c.chaos_seed, 9);
        assert_eq!(
            parse(&["--seed", "demo", "--data", "d.json"])
                .map(|c| (c.seed, c.data))
                .ok(),
            Some((SeedSource::Demo, Some(PathBuf::from("d.json"))))
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_flag_named() {
        assert!(message(&["--port", "x"]).contains("--port"));
        assert!(message(&["--fail-rate", "2"]).contains("--fail-rate"));
        assert!(message(&["--latency-ms", "5-1"]).contains("--latency-ms"));
        assert!(message(&["--bogus"]).contains("--bogus"));
        assert!(message(&["--static"]).contains("--static"));
        for args in [&["--port", "x"][..], &["--bogus"], &["--static"]] {
            assert_eq!(parse(args).expect_err("refused").exit_code(), 2, "{args:?}");
        }
    }

    /// Issue 23: beyond loopback a password (or an explicit --public) is required.
    #[test]
    fn a_network_address_needs_a_password_or_public() {
        for host in ["0.0.0.0", "192.0.2.10", "::", "example.org"] {
            let e = parse(&["--host", host]).expect_err("refused without a password");
            assert_eq!(e.exit_code(), 2, "{host}");
            let text = e.to_string();
            assert!(
                text.contains("--password-file") && text.contains("--public"),
                "{text}"
            );
        }
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"] {
            assert!(parse(&["--host", host]).is_ok(), "{host} is loopback");
        }
        let c = parse(&["--host", "0.0.0.0", "--password-file", "pw.txt"]).expect("password");
        assert_eq!(c.password_file, Some(PathBuf::from("pw.txt")));
        assert!(parse(&["--host", "0.0.0.0", "--public"]).is_ok_and(|c| c.public));
        assert!(parse(&["--public", "--password-file", "pw"]).is_err());
    }

    #[test]
    fn base_url_is_an_http_address() {
        let c = parse(&["--base-url", "https://collab.example.org/"]).expect("valid");
        assert_eq!(c.base_url.as_deref(), Some("https://collab.example.org"));
        assert!(message(&["--base-url", "collab.example.org"]).contains("--base-url"));
        assert!(message(&["--base-url", "https://"]).contains("--base-url"));
    }

    #[test]
    fn backup_is_a_subcommand() {
        let args = ["api-mock", "backup", "out.db", "--data", "x.db"];
        assert_eq!(
            Command::from_args(args).expect("valid"),
            Command::Backup {
                data: PathBuf::from("x.db"),
                out: PathBuf::from("out.db"),
            }
        );
        assert!(
            Command::from_args(["api-mock", "backup"]).is_err(),
            "OUT.db is required"
        );
        assert!(
            parse(&["backup", "out.db"]).is_err(),
            "not a server configuration"
        );
    }

    #[test]
    fn data_and_in_memory_exclude_each_other() {
        let e = parse(&["--data", "d.json", "--in-memory"]).expect_err("conflict");
        assert_eq!(e.kind(), ErrorKind::ArgumentConflict);
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("--in-memory"));
    }

    #[test]
    fn help_lists_every_option_and_exits_zero() {
        let e = parse(&["--help"]).expect_err("help is not a configuration");
        assert_eq!(e.kind(), ErrorKind::DisplayHelp);
        assert_eq!(e.exit_code(), 0);
        let help = e.to_string();
        for flag in [
            "--host",
            "--port",
            "--seed",
            "--data",
            "--in-memory",
            "--static",
            "--latency-ms",
            "--fail-rate",
            "--chaos-seed",
            "--generate-requests",
            "--password-file",
            "--public",
            "--base-url",
            "backup",
            "--session-idle-hours",
            "--max-sessions",
        ] {
            assert!(help.contains(flag), "{flag} in {help}");
        }
    }
}
