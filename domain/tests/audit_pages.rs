//! The audit log paged (API.md "Audit", SPEC L2, issue 19 item 8): for every organisation and
//! action filter, a walk of the pages (forward by `next`, then back by `prev`) equals the old
//! full scan and sort (`World::audit_for`, kept as the oracle behind the `oracles` feature),
//! `total` equals its length, and the index rebuilt from a snapshot (the server's load) gives
//! the same pages; in worlds driven by the shared random-command driver (`common`).

mod common;

use common::*;
use domain::pages::MAX_LIMIT;
use domain::{AuditAction, AuditCursor, AuditEvent, EventId, OdsCode, World};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn ids(events: &[&AuditEvent]) -> Vec<EventId> {
    events.iter().map(|e| e.id.clone()).collect()
}

/// The oracle: the whole log of `org` scanned and sorted, then filtered.
fn oracle(w: &World, org: &OdsCode, action: Option<AuditAction>) -> Vec<EventId> {
    w.audit_for(org)
        .into_iter()
        .filter(|e| action.is_none_or(|a| e.action == a))
        .map(|e| e.id.clone())
        .collect()
}

/// Walks every page forward, then back from the last page, checking each against the oracle.
fn check_walk(
    w: &World,
    org: &OdsCode,
    action: Option<AuditAction>,
    limit: usize,
) -> Result<(), TestCaseError> {
    let expected = oracle(w, org, action);
    let first = w.audit_page(org, action, limit, None);
    prop_assert_eq!(first.total, expected.len());
    prop_assert_eq!(first.prev, None);
    let mut pages = vec![ids(&first.items)];
    let mut next = first.next;
    let mut last_prev = None;
    while let Some(cursor) = next {
        let page = w.audit_page(org, action, limit, Some(&cursor));
        prop_assert_eq!(page.total, expected.len());
        prop_assert!(!page.items.is_empty(), "a next cursor leads to events");
        prop_assert!(page.prev.is_some(), "a later page has a previous one");
        pages.push(ids(&page.items));
        last_prev = page.prev;
        next = page.next;
        prop_assert!(pages.len() <= expected.len() + 1, "the walk ends");
    }
    let walked: Vec<EventId> = pages.iter().flatten().cloned().collect();
    prop_assert_eq!(&walked, &expected, "forward walk of {} {:?}", org, action);
    for p in &pages[..pages.len() - 1] {
        prop_assert_eq!(
            p.len(),
            limit.clamp(1, MAX_LIMIT),
            "only the last page is short"
        );
    }
    // Back by `prev` from the last page: the same pages, each full (the first page again
    // at the start).
    let mut back = Vec::new();
    let mut prev = last_prev;
    while let Some(cursor) = prev {
        let page = w.audit_page(org, action, limit, Some(&cursor));
        back.push(ids(&page.items));
        prev = page.prev;
        prop_assert!(back.len() <= pages.len(), "the walk back ends");
    }
    back.reverse();
    let mut forward_but_last = pages.clone();
    forward_but_last.pop();
    prop_assert_eq!(back, forward_but_last, "walk back of {} {:?}", org, action);
    Ok(())
}

fn run(orgs: usize, ops: &[Op], limit: usize, spread: i64) -> Result<World, TestCaseError> {
    let mut d = Driver::new(orgs, [true, false, true, false], spread)?;
    for &op in ops {
        d.apply(op)?;
    }
    let back = World::from_snapshot(d.w.snapshot()).map_err(fail)?;
    for o in 0..orgs {
        let org = ods(o);
        for action in [None]
            .into_iter()
            .chain(AuditAction::ALL.into_iter().map(Some))
        {
            check_walk(&d.w, &org, action, limit)?;
            let (a, b) = (
                d.w.audit_page(&org, action, limit, None),
                back.audit_page(&org, action, limit, None),
            );
            prop_assert_eq!(ids(&a.items), ids(&b.items), "rebuilt from a snapshot");
            prop_assert_eq!(a.total, b.total);
        }
    }
    Ok(d.w)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// L2: small pages over random logs (ties in time, clocks that go back): every walk, every
    /// organisation, every action filter equals the scan and sort.
    #[test]
    fn l2_audit_pages_walk_the_log_exactly_like_the_scan_and_sort(
        orgs in 2usize..5,
        ops in prop::collection::vec(op(), 1..200),
        limit in 1usize..7,
        spread in 1i64..50_000,
    ) {
        run(orgs, &ops, limit, spread)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    /// The same over thousands of events, with page sizes up to the largest.
    #[test]
    fn l2_audit_pages_over_thousands_of_events_equal_the_scan_and_sort(
        ops in prop::collection::vec(op(), 2500..3500),
        limit in 20usize..=MAX_LIMIT,
    ) {
        let w = run(3, &ops, limit, 1_000_000)?;
        prop_assert!(w.audit_log().len() > 1000, "{} events", w.audit_log().len());
    }
}

#[test]
fn l2_a_page_of_an_unknown_organisation_is_empty_and_a_cursor_selects_only_a_place() {
    let mut d = Driver::new(2, [true; 4], 1000).expect("network");
    for i in 0..30u16 {
        d.apply(Op::Receive { org: i, patient: 0 }).expect("op");
    }
    let nobody = OdsCode::parse("ZZ999").expect("code");
    let page = d.w.audit_page(&nobody, None, 10, None);
    assert_eq!((page.items.len(), page.total, page.next), (0, 0, None));
    // A cursor made up (or from another organisation's log) only selects a place in the
    // caller's own log: every event it returns is the caller's.
    let made_up = AuditCursor::decode("La.1795600900000.7").expect("a cursor");
    let page = d.w.audit_page(&ods(0), None, 50, Some(&made_up));
    let own = oracle(&d.w, &ods(0), None);
    assert!(page.items.iter().all(|e| own.contains(&e.id)));
}
