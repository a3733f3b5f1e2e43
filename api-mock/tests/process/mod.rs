//! The real `api-mock` binary in a child process, and a minimal HTTP/1.1 client over
//! `std::net::TcpStream` (one request per connection), for the tests that need a real socket
//! and a real process: crash safety (SIGKILL) and races between connections.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// A running server; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// Everything the server has written to stderr so far (its log).
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the binary with `args` plus `--port 0` and waits for `listening on http://ADDR`.
    /// Returns the child's stderr when it exits before listening. Both pipes are drained by
    /// threads so the server never blocks on a full pipe; its stderr is echoed to ours.
    /// The request log is off (`RUST_LOG=warn`): thousands of lines per crash or race run
    /// would drown the test output; errors still show.
    pub fn start(args: &[&str]) -> Result<Server, String> {
        Server::start_with_env(args, &[("RUST_LOG", "warn")])
    }

    /// [`Server::start`] with extra environment variables (`RUST_LOG`).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_api-mock"))
            .args(args)
            .envs(env.iter().copied())
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run api-mock: {e}"))?;
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let errors = std::thread::spawn({
            let log = log.clone();
            move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("[api-mock] {line}");
                    let mut all = log.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        match line.trim().strip_prefix("listening on http://") {
            Some(addr) => Ok(Server {
                addr: addr.parse().unwrap(),
                child,
                log,
            }),
            None => {
                let _ = child.wait();
                let _ = errors.join();
                let err = log.lock().unwrap().clone();
                Err(format!("api-mock did not start: {line}{err}"))
            }
        }
    }

    /// Starts on `data`, panicking with the server's own message if it refuses to start.
    pub fn on_file(data: &Path) -> Server {
        Server::start(&["--data", data.to_str().unwrap()]).unwrap_or_else(|e| panic!("{e}"))
    }

    /// SIGKILL: no chance to finish a write or clean up.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn client(&self) -> Client {
        Client { addr: self.addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status and body parsed as JSON (`Null` when empty).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub json: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub addr: SocketAddr,
}

impl Client {
    /// One request on a fresh connection; an I/O error when the server is gone.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw);
        let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, text.to_string());
        let status: u16 = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let (_, payload) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
        let json = if payload.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(payload).map_err(|_| bad())?
        };
        Ok(Reply { status, json })
    }

    pub fn get(&self, path: &str, token: &str) -> Reply {
        self.call("GET", path, Some(token), None).unwrap()
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> std::io::Result<Reply> {
        self.call("POST", path, Some(token), Some(body))
    }

    pub fn sign_in(&self, user_id: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/session",
                None,
                Some(&serde_json::json!({ "user_id": user_id })),
            )
            .unwrap();
        assert_eq!(r.status, 200, "sign in as {user_id}: {:?}", r.json);
        r.json["token"].as_str().unwrap().to_owned()
    }
}

/// A fresh folder beside the build (same disk as real data files), removed first if present.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
