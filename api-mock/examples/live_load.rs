//! Live updates at scale (issue 14, item 4): opens N server-sent event streams on loopback
//! (persona sessions spread across the demo organisations), makes changes, and measures how
//! long each event takes to reach every stream concerned, and the server's memory per idle
//! stream.
//!
//! ```text
//! cargo build --release -p api-mock --example live_load
//! target/release/examples/live_load [--server target/release/api-mock] [--streams 1000] [--changes 60]
//! ```
//!
//! It starts the server itself (`--in-memory`, a free port on 127.0.0.1), so it can read the
//! server's resident memory from `/proc/PID/status`, and stops it at the end. Plain HTTP/1.1 over
//! tokio sockets: no client library, nothing downloaded.
//!
//! Delivery latency is measured from just before a change is sent to the moment each stream
//! reads the event; every stream of an organisation told of an event must receive it (checked).

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    server: String,
    streams: usize,
    changes: usize,
}

fn args() -> Result<Args, Error> {
    let mut a = Args {
        server: "target/release/api-mock".into(),
        streams: 1000,
        changes: 60,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--server" => a.server = value,
            "--streams" => a.streams = value.parse()?,
            "--changes" => a.changes = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(a)
}

/// One HTTP/1.1 call with `Connection: close`: status and body.
async fn call(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Result<(u16, Value), Error> {
    let mut s = TcpStream::connect(addr).await?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no header end")?;
    let status: u16 = head.split_whitespace().nth(1).ok_or("no status")?.parse()?;
    let value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or(Value::Null)
    };
    Ok((status, value))
}

/// What a stream reader reports: (stream, event id, kind, when read).
type Delivery = (usize, u64, String, Instant);

/// Opens a stream (ticket first) and forwards every event it reads.
async fn follow(
    addr: String,
    token: String,
    index: usize,
    out: mpsc::UnboundedSender<Delivery>,
    ready: mpsc::UnboundedSender<usize>,
) -> Result<(), Error> {
    let (status, t) = call(&addr, "POST", "/api/events/ticket", Some(&token), None).await?;
    if status != 200 {
        return Err(format!("ticket: {status}").into());
    }
    let ticket = t["ticket"].as_str().ok_or("no ticket")?;
    let mut s = TcpStream::connect(&addr).await?;
    let req = format!(
        "GET /api/events?ticket={ticket} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await?;
    let mut lines = BufReader::new(s).lines();
    // Headers.
    while let Some(line) = lines.next_line().await? {
        if line.is_empty() {
            break;
        }
    }
    let _ = ready.send(index);
    let (mut id, mut kind) = (None, String::new());
    while let Some(line) = lines.next_line().await? {
        // The body is chunked: chunk-size lines are not fields and are skipped.
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.parse::<u64>().ok();
        } else if let Some(v) = line.strip_prefix("event: ") {
            kind = v.to_owned();
        } else if line.starts_with("data: ") {
            if let Some(n) = id.take() {
                let _ = out.send((index, n, std::mem::take(&mut kind), Instant::now()));
            }
        }
    }
    Ok(())
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Error> {
    let a = args()?;
    let mut child = Command::new(&a.server)
        .args(["--in-memory", "--host", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let addr = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on http://").map(str::to_owned))
    })
    .await?
    .ok_or("the server did not start")?;

    // Personas, signed in once each, spread over the streams.
    let (_, personas) = call(&addr, "GET", "/api/personas", None, None).await?;
    let mut sessions = Vec::new();
    for p in personas.as_array().ok_or("personas")? {
        let user = p["user_id"].as_str().ok_or("user_id")?.to_owned();
        let org = p["ods_code"].as_str().ok_or("ods_code")?.to_owned();
        let (_, s) = call(
            &addr,
            "POST",
            "/api/session",
            None,
            Some(json!({"user_id": user})),
        )
        .await?;
        sessions.push((user, org, s["token"].as_str().ok_or("token")?.to_owned()));
    }
    let token_of = |user: &str| {
        sessions
            .iter()
            .find(|(u, _, _)| u == user)
            .map(|(_, _, t)| t.clone())
    };

    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_kib(pid);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let mut org_of_stream = Vec::new();
    for i in 0..a.streams {
        let (_, org, token) = &sessions[i % sessions.len()];
        org_of_stream.push(org.clone());
        let (addr, token, tx, ready) = (addr.clone(), token.clone(), tx.clone(), ready_tx.clone());
        tokio::spawn(async move {
            if let Err(e) = follow(addr, token, i, tx, ready).await {
                eprintln!("stream {i}: {e}");
            }
        });
    }
    let opening = Instant::now();
    for _ in 0..a.streams {
        tokio::time::timeout(Duration::from_secs(60), ready_rx.recv())
            .await?
            .ok_or("streams")?;
    }
    let open_s = opening.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_kib(pid);

    // Changes: r-1001 (a sharing patient, Camelia's) moves between Camelia's GP Triage and
    // the PCN's Care Home Team (shared unrestricted with Camelia and Riverside: V2), and every
    // fifth change Riverside disables or enables that share (V4).
    let cam = token_of("u-james-wilson").ok_or("Camelia staff")?;
    let riv = token_of("u-helen-clarke").ok_or("Riverside admin")?;
    let (_, shares) = call(&addr, "GET", "/api/external", Some(&riv), None).await?;
    let share_id = shares
        .as_array()
        .and_then(|l| l.iter().find(|s| s["target"]["id"] == "g-pcn-carehome"))
        .and_then(|s| s["share_id"].as_str())
        .ok_or("share of the care home team with Riverside")?
        .to_owned();
    let (_, r) = call(&addr, "GET", "/api/requests/r-1001", Some(&cam), None).await?;
    let mut version = r["version"].as_u64().ok_or("version")?;
    let mut latencies_ms: Vec<f64> = Vec::new();
    let mut deliveries = 0usize;
    let mut missing = 0usize;
    let mut enabled = true;
    let mut moves = 0usize;
    for k in 0..a.changes {
        let started = Instant::now();
        let (status, body) = if k % 5 == 4 {
            enabled = !enabled;
            let verb = if enabled { "enable" } else { "disable" };
            call(
                &addr,
                "POST",
                &format!("/api/external/{share_id}/{verb}"),
                Some(&riv),
                None,
            )
            .await?
        } else {
            moves += 1;
            let target = if moves % 2 == 1 {
                "g-pcn-carehome"
            } else {
                "g-cam-gps"
            };
            let (status, body) = call(
                &addr,
                "POST",
                "/api/requests/r-1001/assign",
                Some(&cam),
                Some(json!({"target_id": target, "version": version})),
            )
            .await?;
            if let Some(v) = body["version"].as_u64() {
                version = v;
            }
            (status, body)
        };
        if status != 200 {
            return Err(format!("change {k}: {status} {body}").into());
        }
        // Collect until quiet for 300 ms (or 5 s at most).
        let mut got: BTreeMap<u64, Vec<(usize, Instant)>> = BTreeMap::new();
        let deadline = started + Duration::from_secs(5);
        loop {
            let wait =
                Duration::from_millis(300).min(deadline.saturating_duration_since(Instant::now()));
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(Some((stream, id, _kind, at))) => got.entry(id).or_default().push((stream, at)),
                _ => break,
            }
        }
        for (_, list) in got {
            // Every stream of an organisation told must have received it.
            let orgs: BTreeSet<&String> = list.iter().map(|(s, _)| &org_of_stream[*s]).collect();
            let expected = org_of_stream.iter().filter(|o| orgs.contains(o)).count();
            missing += expected.saturating_sub(list.len());
            deliveries += list.len();
            latencies_ms.extend(
                list.iter()
                    .map(|(_, at)| at.duration_since(started).as_secs_f64() * 1000.0),
            );
        }
    }
    latencies_ms.sort_by(|x, y| x.total_cmp(y));
    let per_stream = (rss_after.saturating_sub(rss_before)) as f64 / a.streams as f64;
    println!("streams                 {}", a.streams);
    println!("opened in               {open_s:.2} s");
    println!("changes                 {}", a.changes);
    println!("deliveries              {deliveries} (missing {missing})");
    println!(
        "latency p50             {:.1} ms",
        percentile(&latencies_ms, 0.50)
    );
    println!(
        "latency p95             {:.1} ms",
        percentile(&latencies_ms, 0.95)
    );
    println!(
        "latency max             {:.1} ms",
        percentile(&latencies_ms, 1.0)
    );
    println!("server RSS before       {} KiB", rss_before);
    println!("server RSS with streams {} KiB", rss_after);
    println!("per idle stream         {per_stream:.1} KiB");
    drop(server);
    if missing > 0 {
        return Err(format!("{missing} deliveries missing").into());
    }
    Ok(())
}
