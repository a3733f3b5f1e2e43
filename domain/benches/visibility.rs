//! Visibility filtering and folder computation at 1k / 10k / 100k / 1M requests over a network
//! of 1 000 organisations and 10 000 shares (issue 3, item 6). Goal: ≥ 50 million requests/s
//! for the visibility filter. Figures are recorded in docs/PERFORMANCE.md (## Domain).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use domain::{
    EventId, FolderId, Group, GroupId, NewRequest, NhsNumber, OdsCode, Organisation, Patient,
    PatientId, RequestId, RequestKind, Role, Share, ShareId, ShareState, Sharing, StatusFilter,
    TargetId, Timestamp, User, UserId, World,
};
use std::hint::black_box;
use std::time::Duration;

const ORGS: usize = 1_000;
const GROUPS_PER_ORG: usize = 10;
const PATIENTS: usize = 1_000;

/// A small deterministic generator (no randomness crate in the domain's dependencies).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn ods(o: usize) -> OdsCode {
    OdsCode::parse(&format!("B{o:05}")).expect("ods")
}

fn network(requests: usize) -> World {
    let mut w = World::new();
    let mut rng = Lcg(42);
    for o in 0..ORGS {
        w.add_organisation(Organisation {
            ods_code: ods(o),
            name: format!("Organisation {o}"),
            kind: "gp_practice".into(),
            postcode: "LS1 1AA".into(),
            active: true,
        })
        .expect("org");
        w.add_user(User {
            id: UserId::new(format!("u{o}")),
            name: format!("User {o}"),
            role: Role::Admin,
            ods_code: ods(o),
            active: true,
        })
        .expect("user");
        for g in 0..GROUPS_PER_ORG {
            w.add_group(Group {
                id: GroupId::new(format!("g{o}_{g}")),
                name: format!("Group {g}"),
                ods_code: ods(o),
            })
            .expect("group");
        }
    }
    // 10 000 shares: every group shared with one other organisation, enabled, 30 % restricted.
    let mut shared_with: Vec<Vec<TargetId>> = vec![Vec::new(); ORGS];
    for o in 0..ORGS {
        for g in 0..GROUPS_PER_ORG {
            let partner = (o + 1 + rng.next(ORGS - 1)) % ORGS;
            let target = TargetId::new(format!("g{o}_{g}"));
            w.add_share_seeded(Share {
                id: ShareId::new(format!("s{o}_{g}")),
                target: target.clone(),
                owner: ods(o),
                partner: ods(partner),
                restricted: rng.next(10) < 3,
                state: ShareState::Enabled,
                created_at: Timestamp::from_millis(0),
            })
            .expect("share");
            shared_with[partner].push(target);
        }
    }
    let mut stem = 100_000_000u32;
    for p in 0..PATIENTS {
        let nhs_number = loop {
            stem += 1;
            if let Some(n) = NhsNumber::with_check_digit(stem) {
                break n;
            }
        };
        w.add_patient(Patient {
            id: PatientId::new(format!("p{p}")),
            name: format!("Patient {p}"),
            nhs_number,
            date_of_birth: "1960-01-01".into(),
            sharing: if rng.next(10) < 7 {
                Sharing::Share
            } else {
                Sharing::DoNotShare
            },
        })
        .expect("patient");
    }
    // Requests arrive at random organisations; 80 % go to one of the origin's groups, 20 % to a
    // group shared with the origin (with a reason, used only when A3 asks for one).
    for r in 0..requests {
        let o = rng.next(ORGS);
        let id = RequestId::new(format!("r{r}"));
        let at = Timestamp::from_millis(r as i64 * 1000);
        w.receive_request(
            NewRequest {
                id: id.clone(),
                origin: ods(o),
                patient: PatientId::new(format!("p{}", rng.next(PATIENTS))),
                kind: RequestKind::Medical,
                subject: "Repeat prescription".into(),
                message: String::new(),
            },
            at,
            EventId::new(format!("e{r}a")),
        )
        .expect("receive");
        let target = if rng.next(10) < 8 || shared_with[o].is_empty() {
            TargetId::new(format!("g{o}_{}", rng.next(GROUPS_PER_ORG)))
        } else {
            shared_with[o][rng.next(shared_with[o].len())].clone()
        };
        w.assign_request(
            &UserId::new(format!("u{o}")),
            &id,
            &target,
            1,
            Some("Clinical need documented"),
            at,
            EventId::new(format!("e{r}b")),
        )
        .expect("assign");
    }
    // Loaded: the next change's delta starts here (as the server's `Store::new`).
    w.forget_changes();
    w
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("domain");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    // `VISIBILITY_SIZES=100000` (comma-separated) builds and measures only those sizes.
    let sizes: Vec<usize> = std::env::var("VISIBILITY_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000]);
    for n in sizes {
        let w = network(n);
        let org = ods(7);
        let user = UserId::new("u7");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("visibility_filter", n), &w, |b, w| {
            b.iter(|| black_box(w.count_visible(black_box(&org))))
        });
        group.bench_with_input(BenchmarkId::new("visible_requests_list", n), &w, |b, w| {
            b.iter(|| black_box(w.visible_requests(black_box(&org)).len()))
        });
        group.bench_with_input(BenchmarkId::new("folders", n), &w, |b, w| {
            b.iter(|| black_box(w.folders(black_box(&user)).map(|f| f.len())))
        });
        group.bench_with_input(BenchmarkId::new("folder_requests_all", n), &w, |b, w| {
            b.iter(|| {
                black_box(
                    w.folder_requests(black_box(&user), &FolderId::All, StatusFilter::All)
                        .map(|l| l.len()),
                )
            })
        });
        // One change on a copy of the world, as the server makes it (issue 13): copy, command,
        // the recorded delta.
        let mut k = 0u64;
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("one_change", n), &w, |b, w| {
            b.iter(|| {
                k += 1;
                let mut next = w.clone();
                next.receive_request(
                    NewRequest {
                        id: RequestId::new(format!("new{k}")),
                        origin: ods(7),
                        patient: PatientId::new("p1"),
                        kind: RequestKind::Admin,
                        subject: "Fit note".into(),
                        message: String::new(),
                    },
                    Timestamp::from_millis(0),
                    EventId::new(format!("new-e{k}")),
                )
                .expect("receive");
                black_box(next.take_delta().requests.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
