//! One page of an organisation's audit log (`World::audit_page`, issue 19 item 8) at 1,000 and
//! 1,000,000 events of history: the first page, a page from a cursor in the middle of the log,
//! and a page of one action; beside them the old full scan and sort (`audit_for`, the oracle)
//! for scale. Goal: the page's cost flat from 1,000 to 1,000,000 events. Figures are recorded
//! in docs/PERFORMANCE.md (## Audit log). Sizes: `AUDIT_SIZES=1000,1000000` (the default).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use domain::{
    AuditAction, AuditCursor, FolderId, Group, GroupId, OdsCode, Organisation, Role, TargetId,
    Timestamp, User, UserId, World,
};
use std::hint::black_box;
use std::time::Duration;

const ORGS: usize = 4;

fn ods(o: usize) -> OdsCode {
    OdsCode::parse(&format!("B{o:05}")).expect("ods")
}

/// `events` covers changes spread over `ORGS` organisations (one user each, switching between
/// its two groups): every command appends one audit event.
fn log(events: usize) -> World {
    let mut w = World::new();
    for o in 0..ORGS {
        w.add_organisation(Organisation {
            ods_code: ods(o),
            name: format!("Practice {o}"),
            kind: "gp_practice".into(),
            postcode: "LS1 1AA".into(),
            active: true,
        })
        .expect("org");
        w.add_user(User {
            id: UserId::new(format!("u{o}")),
            name: format!("User {o}"),
            role: Role::Staff,
            ods_code: ods(o),
            active: true,
        })
        .expect("user");
        for g in 0..2 {
            w.add_group(Group {
                id: GroupId::new(format!("g{o}_{g}")),
                name: format!("Group {g}"),
                ods_code: ods(o),
            })
            .expect("group");
        }
    }
    for k in 0..events {
        let o = k % ORGS;
        let folder = FolderId::Target(TargetId::new(format!("g{o}_{}", (k / ORGS) % 2)));
        w.set_covers(
            &UserId::new(format!("u{o}")),
            &[folder],
            Timestamp::from_millis(1_795_600_800_000 + k as i64),
            domain::EventId::new(format!("e{k}")),
        )
        .expect("covers");
    }
    w.forget_changes();
    w
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("audit");
    group.sample_size(30);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    let sizes: Vec<usize> = std::env::var("AUDIT_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 1_000_000]);
    for n in sizes {
        let w = log(n);
        let org = ods(1);
        let total = w.audit_total(&org, None);
        // The cursor of the page that starts in the middle of the organisation's log.
        let middle = w
            .audit_walk(&org, None, None)
            .nth(total / 2)
            .map(|(_, at)| AuditCursor::After(at))
            .expect("a middle");
        group.bench_with_input(BenchmarkId::new("first_page_50", n), &w, |b, w| {
            b.iter(|| black_box(w.audit_page(black_box(&org), None, 50, None).items.len()))
        });
        group.bench_with_input(BenchmarkId::new("middle_page_50", n), &w, |b, w| {
            b.iter(|| {
                black_box(
                    w.audit_page(black_box(&org), None, 50, Some(&middle))
                        .items
                        .len(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("action_page_50", n), &w, |b, w| {
            b.iter(|| {
                black_box(
                    w.audit_page(black_box(&org), Some(AuditAction::CoversChanged), 50, None)
                        .total,
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("full_scan_oracle", n), &w, |b, w| {
            b.iter(|| black_box(w.audit_for(black_box(&org)).len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
