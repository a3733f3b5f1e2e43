//! The command line of `api-mock` (API.md, Command line).

use std::path::PathBuf;

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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8080,
            seed: SeedSource::Demo,
            data: Some(PathBuf::from("data/state.json")),
            static_dir: None,
            latency: Latency {
                min_ms: 0,
                max_ms: 0,
            },
            fail_rate: 0.0,
            chaos_seed: 1,
        }
    }
}

pub const USAGE: &str = "usage: api-mock [--host 127.0.0.1] [--port 8080] [--seed FILE | --seed demo] \
[--data FILE | --in-memory] [--static DIR] [--latency-ms N|MIN-MAX] [--fail-rate F] [--chaos-seed N]";

impl Config {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut config = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--host" => config.host = value()?,
                "--port" => {
                    let v = value()?;
                    config.port = v
                        .parse()
                        .map_err(|_| format!("--port needs a number from 0 to 65535, not {v:?}"))?;
                }
                "--seed" => {
                    let v = value()?;
                    config.seed = if v == "demo" {
                        SeedSource::Demo
                    } else {
                        SeedSource::File(PathBuf::from(v))
                    };
                }
                "--data" => config.data = Some(PathBuf::from(value()?)),
                "--in-memory" => config.data = None,
                "--static" => config.static_dir = Some(PathBuf::from(value()?)),
                "--latency-ms" => config.latency = Latency::parse(&value()?)?,
                "--fail-rate" => {
                    let v = value()?;
                    let f: f64 = v.parse().map_err(|_| {
                        format!("--fail-rate needs a number from 0 to 1, not {v:?}")
                    })?;
                    if !(0.0..=1.0).contains(&f) {
                        return Err(format!("--fail-rate needs a number from 0 to 1, not {v:?}"));
                    }
                    config.fail_rate = f;
                }
                "--chaos-seed" => {
                    let v = value()?;
                    config.chaos_seed = v
                        .parse()
                        .map_err(|_| format!("--chaos-seed needs a whole number, not {v:?}"))?;
                }
                "--help" | "-h" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_match_api_md() {
        let c = parse(&[]).expect("no arguments is valid");
        assert_eq!(c.host, "127.0.0.1");
        assert_eq!(c.port, 8080);
        assert_eq!(c.seed, SeedSource::Demo);
        assert_eq!(c.data, Some(PathBuf::from("data/state.json")));
        assert!(c.latency.is_off());
        assert_eq!(c.fail_rate, 0.0);
    }

    #[test]
    fn every_flag_is_understood() {
        let c = parse(&[
            "--host",
            "0.0.0.0",
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
        assert_eq!(c.latency.label(), "100-300");
        assert_eq!(c.fail_rate, 0.25);
        assert_eq!(c.chaos_seed, 9);
    }

    #[test]
    fn bad_values_are_refused_with_the_flag_named() {
        assert!(parse(&["--port", "x"]).is_err_and(|e| e.contains("--port")));
        assert!(parse(&["--fail-rate", "2"]).is_err_and(|e| e.contains("--fail-rate")));
        assert!(parse(&["--latency-ms", "5-1"]).is_err());
        assert!(parse(&["--bogus"]).is_err_and(|e| e.contains("--bogus")));
        assert!(parse(&["--static"]).is_err_and(|e| e.contains("needs a value")));
    }
}
