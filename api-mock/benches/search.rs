//! Organisation search at national scale (issue 4: goal p95 <= 2 ms per query at 250k).
//!
//! Run: `cargo bench -p api-mock --bench search`. Besides criterion's per-query estimates it
//! prints the p50/p95/p99 of single-query latencies over a mixed workload of typeahead
//! prefixes (every prefix of a few realistic searches, codes and names).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use api_mock::directory::Directory;
use api_mock::state::synthetic::generate;
use criterion::{criterion_group, criterion_main, Criterion};

const SIZE: usize = 250_000;

/// What users type, one keystroke at a time.
const SEARCHES: &[&str] = &[
    "camelia surgery",
    "stockton medical centre",
    "north tees pcn",
    "st marys surgery",
    "hartley pharmacy",
    "a81001",
    "fa1",
    "u12",
    "oak house care home",
    "leeds community frailty",
    "medical",
    "the high street practice",
];

fn workload() -> Vec<String> {
    let mut queries = Vec::new();
    for s in SEARCHES {
        let chars: Vec<char> = s.chars().collect();
        for end in 2..=chars.len() {
            queries.push(chars[..end].iter().collect());
        }
    }
    queries
}

fn percentiles(directory: &Directory, queries: &[String]) {
    let mut samples = Vec::new();
    for _ in 0..20 {
        for q in queries {
            let start = Instant::now();
            black_box(directory.search(black_box(q), 10));
            samples.push(start.elapsed());
        }
    }
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize];
    println!(
        "search at {SIZE} organisations over {} queries: p50 {:?}, p95 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    );
}

fn bench(c: &mut Criterion) {
    let start = Instant::now();
    let directory = Directory::new(generate(SIZE, &HashSet::new()));
    println!(
        "index of {} organisations built in {:?}",
        directory.len(),
        start.elapsed()
    );
    let queries = workload();
    percentiles(&directory, &queries);

    let mut group = c.benchmark_group("search_250k");
    for q in [
        "me",
        "medical",
        "stockton medical c",
        "a8",
        "FA1",
        "north tees pcn",
    ] {
        group.bench_function(q, |b| {
            b.iter(|| black_box(directory.search(black_box(q), 10)))
        });
    }
    group.bench_function("typeahead_mix", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(directory.search(q, 10));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
