//! The cost of one acknowledged change on disk: encoding the data file and replacing it
//! durably (temp file, fsync, rename, directory fsync), for the demo network with its 20 000
//! generated organisations. Compares the whole snapshot (data format 1, before issue 7) with
//! the data file as written now (format 2: generated organisations left out), and adds the copy
//! of the state each change makes (so readers never wait behind it).
//!
//! Run: `cargo bench -p api-mock --bench persist` (prints size and median / p95 per write).
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use api_mock::{persist, AppState};

const ROUNDS: usize = 40;

fn measure(label: &str, path: &std::path::Path, mut encode: impl FnMut() -> Vec<u8>) {
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS);
    let mut size = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let bytes = encode();
        persist::write_atomic(path, &bytes).unwrap();
        times.push(start.elapsed());
        size = bytes.len();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<42} {:>9.1} KB   median {:>6.2} ms   p95 {:>6.2} ms",
        size as f64 / 1000.0,
        ms(times[ROUNDS / 2]),
        ms(times[ROUNDS * 95 / 100]),
    );
}

fn main() {
    let state = AppState::demo_in_memory().unwrap();
    // Beside the build, on the same disk as a real data file (not a tmpfs).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-persist");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let store = state.read();
    measure("whole snapshot (format 1, before)", &path, || {
        serde_json::to_vec(&serde_json::json!({
            "format": 1, "next_id": 1, "world": store.world.snapshot()
        }))
        .unwrap()
    });
    measure("data file without generated orgs (format 2)", &path, || {
        store.encode().unwrap()
    });
    // What a change costs now: it works on a copy of the state, so readers never wait for it.
    measure("copy of the state, then its data file", &path, || {
        api_mock::state::Store::clone(&store).encode().unwrap()
    });
    let _ = std::fs::remove_dir_all(&dir);
}
