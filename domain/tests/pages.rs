//! Paged request lists (issue 13, API.md "Messages", C3, C4, V1–V4): every page walk, for every
//! user, folder and status, equals the simple answer (`folder_requests` / `messages`: a scan of
//! every request and a sort, kept as the oracle), in worlds of random networks, shares, patient
//! preferences, covers and commands, with up to thousands of requests; and a walk stays stable
//! while requests gain activity between its pages.

mod common;

use std::collections::BTreeSet;

use common::*;

use domain::pages::{DEFAULT_LIMIT, MAX_LIMIT};
use domain::{
    Cursor, DomainError, EventId, FolderId, Request, RequestId, StatusFilter, TargetId, UserId,
    World,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const STATUSES: [StatusFilter; 3] = [StatusFilter::Open, StatusFilter::Closed, StatusFilter::All];

fn ids(list: &[&Request]) -> Vec<RequestId> {
    list.iter().map(|r| r.id.clone()).collect()
}

/// The oracle: a scan of every request and a sort.
fn oracle(
    w: &World,
    user: &UserId,
    folder: Option<&FolderId>,
    status: StatusFilter,
) -> Vec<RequestId> {
    let list = match folder {
        Some(f) => w.folder_requests(user, f, status),
        None => w.messages(user, status),
    }
    .expect("the user's own folder");
    ids(&list)
}

/// Walks Next to the end and Previous back to the start, checking every page against the
/// oracle: the concatenation of the Next pages is the oracle; each Previous page is the slice
/// just before the page it came from (or the first page in full); `total` is the oracle's
/// length on every page.
fn check_walks(
    w: &World,
    user: &UserId,
    folder: Option<&FolderId>,
    status: StatusFilter,
    limit: usize,
) -> Result<usize, TestCaseError> {
    let want = oracle(w, user, folder, status);
    let mut got: Vec<RequestId> = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    let mut last_start;
    loop {
        let page = w
            .request_page(user, folder, status, limit, cursor.as_ref())
            .map_err(fail)?;
        prop_assert_eq!(page.total, want.len(), "C4 total after visibility");
        prop_assert!(page.items.len() <= limit);
        prop_assert_eq!(
            page.prev.is_some(),
            !got.is_empty(),
            "prev exactly after the first page"
        );
        last_start = got.len();
        got.extend(ids(&page.items));
        pages += 1;
        prop_assert!(pages <= want.len() / limit + 2, "the walk ends");
        match page.next {
            Some(next) => {
                prop_assert_eq!(page.items.len(), limit, "a full page before the last");
                // The cursor survives its text form (it crosses the wire).
                cursor = Some(Cursor::decode(&next.encode()).map_err(fail)?);
            }
            None => break,
        }
    }
    prop_assert_eq!(
        &got,
        &want,
        "the Next walk is the C4 list, each request once"
    );
    // Back from the last page to the first.
    let mut start = last_start;
    let mut cursor = if start == 0 {
        None
    } else {
        Some(Cursor::Before(domain::Position::of(
            w.request(&want[start]).expect("listed"),
        )))
    };
    while let Some(c) = cursor {
        let page = w
            .request_page(user, folder, status, limit, Some(&c))
            .map_err(fail)?;
        let items = ids(&page.items);
        let begin = start.saturating_sub(limit);
        let end = if start >= limit {
            start
        } else {
            limit.min(want.len())
        };
        prop_assert_eq!(
            &items[..],
            &want[begin..end],
            "Previous is the slice before"
        );
        prop_assert_eq!(page.prev.is_some(), begin > 0);
        prop_assert!(
            page.next.is_some(),
            "a page reached by Previous has a next one"
        );
        start = begin;
        cursor = page.prev;
    }
    Ok(pages)
}

/// Checks every folder of a user (and the Messages page) at every status.
fn check_user(w: &World, user: &UserId, limit: usize) -> Result<(), TestCaseError> {
    let folders = w.folders(user).map_err(fail)?;
    for status in STATUSES {
        check_walks(w, user, None, status, limit)?;
        for f in &folders {
            check_walks(w, user, Some(&f.id), status, limit)?;
        }
    }
    // A folder the user does not have is NotFound, as for the oracle.
    let foreign = FolderId::Target(TargetId::new("no-such-target"));
    prop_assert_eq!(
        w.request_page(user, Some(&foreign), StatusFilter::Open, 10, None)
            .err(),
        Some(DomainError::NotFound)
    );
    Ok(())
}

fn run(
    orgs: usize,
    patients: [bool; 4],
    ops: &[Op],
    limit: usize,
    spread: i64,
    every_user: bool,
) -> Result<World, TestCaseError> {
    let mut d = Driver::new(orgs, patients, spread)?;
    for (i, &op) in ops.iter().enumerate() {
        d.apply(op)?;
        if !every_user && i % 97 == 0 {
            d.apply(Op::Receive {
                org: i as u16,
                patient: (i % 4) as u8,
            })?;
        }
    }
    let checked: Vec<UserId> = if every_user {
        (0..orgs).flat_map(users).collect()
    } else {
        (0..orgs.min(3)).flat_map(users).collect()
    };
    for u in &checked {
        check_user(&d.w, u, limit)?;
    }
    // Rebuilt from a snapshot (the server's load), the indexes give the same pages.
    let back = World::from_snapshot(d.w.snapshot()).map_err(fail)?;
    for u in checked.iter().take(3) {
        for status in STATUSES {
            let a =
                d.w.request_page(u, None, status, limit, None)
                    .map_err(fail)?;
            let b = back
                .request_page(u, None, status, limit, None)
                .map_err(fail)?;
            prop_assert_eq!(ids(&a.items), ids(&b.items));
            prop_assert_eq!(a.total, b.total);
        }
    }
    Ok(d.w)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// C3, C4, V1–V4: small networks, many commands, every user, every folder, every status,
    /// small pages (many page boundaries, ties in the order).
    #[test]
    fn c4_pages_walk_every_folder_exactly_like_the_scan_and_sort(
        orgs in 2usize..6,
        patients in any::<[bool; 4]>(),
        ops in prop::collection::vec(op(), 1..220),
        limit in 1usize..9,
        spread in 1i64..50_000,
    ) {
        run(orgs, patients, &ops, limit, spread, true)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// The same over thousands of requests (C4, V1–V4), with page sizes up to the largest.
    #[test]
    fn c4_pages_over_thousands_of_requests_equal_the_scan_and_sort(
        orgs in 3usize..8,
        patients in any::<[bool; 4]>(),
        ops in prop::collection::vec(op(), 2500..4000),
        limit in 20usize..=MAX_LIMIT,
    ) {
        let w = run(orgs, patients, &ops, limit, 1_000_000, false)?;
        prop_assert!(w.requests().len() > 400, "{} requests", w.requests().len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// API.md: a walk is stable while requests gain activity between its pages. Commands run
    /// between pages; a request they touched may move to the top (and is then not met again);
    /// every request untouched for the whole walk and in the folder throughout is met exactly
    /// once, in the C4 order; nothing is met twice.
    #[test]
    fn c4_a_walk_neither_repeats_nor_skips_while_requests_gain_activity(
        patients in any::<[bool; 4]>(),
        before in prop::collection::vec(op(), 150..400),
        between in prop::collection::vec(prop::collection::vec(op(), 0..4), 1..40),
        limit in 1usize..12,
        folder_pick in any::<u16>(),
        status_pick in 0usize..3,
    ) {
        let mut d = Driver::new(3, patients, 1_000_000)?;
        for &op in &before {
            d.apply(op)?;
        }
        // Activity between pages happens on the server's clock, strictly later than any
        // before: that is what moves a request to the top. (On a clock that goes back, a
        // request seen on an earlier page could sink below the cursor and be met again; a
        // shrunk case of that was found when this test ran on the test clock.)
        d.monotonic = true;
        let user = staff(0, 0);
        let mut folders: Vec<Option<FolderId>> = vec![None];
        folders.extend(d.w.folders(&user).map_err(fail)?.into_iter().map(|f| Some(f.id)));
        let folder = folders[folder_pick as usize % folders.len()].clone();
        let status = STATUSES[status_pick];
        let start = oracle(&d.w, &user, folder.as_ref(), status);
        let mut touched: BTreeSet<RequestId> = BTreeSet::new();
        let mut seen: Vec<RequestId> = Vec::new();
        let mut cursor: Option<Cursor> = None;
        let mut rounds = between.iter();
        loop {
            let page = d
                .w
                .request_page(&user, folder.as_ref(), status, limit, cursor.as_ref())
                .map_err(fail)?;
            seen.extend(ids(&page.items));
            let Some(next) = page.next else { break };
            cursor = Some(next);
            let before: Vec<(RequestId, u64)> =
                d.w.requests().iter().map(|r| (r.id.clone(), r.version)).collect();
            for &op in rounds.next().map_or(&[][..], |v| v.as_slice()) {
                d.apply(op)?;
            }
            for (id, version) in before {
                if d.w.request(&id).map(|r| r.version) != Some(version) {
                    touched.insert(id);
                }
            }
        }
        let unique: BTreeSet<&RequestId> = seen.iter().collect();
        prop_assert_eq!(unique.len(), seen.len(), "nothing repeated");
        let end = oracle(&d.w, &user, folder.as_ref(), status);
        let end: BTreeSet<&RequestId> = end.iter().collect();
        // Share and preference changes alter visibility without touching a request: only
        // requests in the folder both at the start and the end count.
        let steady: Vec<&RequestId> = start
            .iter()
            .filter(|id| !touched.contains(*id) && end.contains(id))
            .collect();
        let met: Vec<&RequestId> = seen.iter().filter(|id| steady.contains(id)).collect();
        prop_assert_eq!(met, steady, "every steady request met once, in order");
    }
}

#[test]
fn c4_the_limit_is_clamped_to_1_to_200_and_defaults_are_those_of_the_api(
) -> Result<(), TestCaseError> {
    let mut d = Driver::new(2, [true; 4], 1_000_000)?;
    for i in 0..450u16 {
        d.apply(Op::Receive {
            org: 0,
            patient: (i % 4) as u8,
        })?;
    }
    let user = staff(0, 0);
    let all = FolderId::All;
    let page = |limit| {
        d.w.request_page(&user, Some(&all), StatusFilter::Open, limit, None)
    };
    assert_eq!(page(0).map_err(fail)?.items.len(), 1);
    assert_eq!(page(1).map_err(fail)?.items.len(), 1);
    assert_eq!(page(DEFAULT_LIMIT).map_err(fail)?.items.len(), 50);
    assert_eq!(page(MAX_LIMIT).map_err(fail)?.items.len(), 200);
    assert_eq!(page(10_000).map_err(fail)?.items.len(), 200);
    assert_eq!(page(usize::MAX).map_err(fail)?.total, 450);
    Ok(())
}

#[test]
fn v4_a_cursor_from_another_organisation_selects_only_a_place_in_the_callers_own_folder(
) -> Result<(), TestCaseError> {
    let mut d = Driver::new(2, [false; 4], 1_000_000)?;
    for i in 0..60u16 {
        d.apply(Op::Receive {
            org: i % 2,
            patient: 0,
        })?;
    }
    let (mine, theirs) = (staff(0, 0), staff(1, 0));
    let first =
        d.w.request_page(&theirs, Some(&FolderId::All), StatusFilter::Open, 5, None)
            .map_err(fail)?;
    let foreign = first.next.expect("more than five");
    let page =
        d.w.request_page(
            &mine,
            Some(&FolderId::All),
            StatusFilter::Open,
            200,
            Some(&foreign),
        )
        .map_err(fail)?;
    let visible: BTreeSet<RequestId> = ids(&d.w.visible_requests(&ods(0))).into_iter().collect();
    assert!(!page.items.is_empty());
    assert!(page.items.iter().all(|r| visible.contains(&r.id)), "V4");
    assert_eq!(page.total, 30, "the caller's own total");
    Ok(())
}

/// C3, V2: All lists the requests of every target shared with the organisation, whatever the
/// target's place among the targets: 40 organisations (200 targets, four words of the V2 mask),
/// each sharing its first group with organisation 0 and holding a request there.
#[test]
fn c3_all_lists_the_shared_targets_past_the_first_64_of_a_network_of_200_targets(
) -> Result<(), TestCaseError> {
    let orgs = 40;
    let mut d = Driver::new(orgs, [true; 4], 1_000_000)?;
    for o in 1..orgs {
        d.apply(Op::Share {
            owner: o as u16,
            target: 0,
            partner: 0,
            restricted: false,
            enable: true,
        })?;
        d.apply(Op::Receive {
            org: o as u16,
            patient: 0,
        })?;
        let id = d.request_id(d.last_request()).expect("received");
        let (now, eid) = (d.now(), EventId::new(d.fresh("e")));
        d.w.assign_request(&staff(o, 0), &id, &group(o, 0), 1, None, now, eid)
            .map_err(fail)?;
    }
    let user = staff(0, 0);
    let page =
        d.w.request_page(&user, Some(&FolderId::All), StatusFilter::Open, 200, None)
            .map_err(fail)?;
    assert_eq!(page.total, orgs - 1, "one request per partner's group");
    assert_eq!(
        ids(&page.items),
        oracle(&d.w, &user, Some(&FolderId::All), StatusFilter::Open)
    );
    check_user(&d.w, &user, 7)
}

/// C4, API.md "Messages": Previous from a place with fewer than a page of requests before it
/// (some were closed or moved since the page was read) gives the first page in full, not a
/// short page; with a whole page or more before it, the page just before.
#[test]
fn c4_previous_with_less_than_a_page_before_it_gives_the_full_first_page(
) -> Result<(), TestCaseError> {
    let mut d = Driver::new(2, [true; 4], 1_000_000)?;
    for i in 0..10u16 {
        d.apply(Op::Receive {
            org: 0,
            patient: (i % 4) as u8,
        })?;
    }
    let user = staff(0, 0);
    let all = Some(&FolderId::All);
    let want = oracle(&d.w, &user, all, StatusFilter::Open);
    assert_eq!(want.len(), 10);
    let before = |i: usize| {
        let at = domain::Position::of(d.w.request(&want[i]).expect("listed"));
        d.w.request_page(&user, all, StatusFilter::Open, 4, Some(&Cursor::Before(at)))
    };
    for i in 0..4 {
        let page = before(i).map_err(fail)?;
        assert_eq!(ids(&page.items), &want[..4], "{i} before the cursor");
        assert!(page.prev.is_none() && page.next.is_some(), "{i}");
    }
    let page = before(4).map_err(fail)?;
    assert_eq!(ids(&page.items), &want[..4]);
    assert!(page.prev.is_none());
    let page = before(7).map_err(fail)?;
    assert_eq!(ids(&page.items), &want[3..7]);
    assert!(page.prev.is_some() && page.next.is_some());
    Ok(())
}
