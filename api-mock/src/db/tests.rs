//! The store's own tests: a change writes only its rows, and an audit position is never
//! overwritten.

use super::*;
use domain::{EventId, NewRequest, RequestId, RequestKind, Timestamp};

/// Issue 13: a change writes its own rows (one request, one audit event) and the three
/// meta rows, however large the stored state; and what it wrote reads back.
#[test]
#[allow(clippy::unwrap_used)]
fn a_change_writes_only_the_rows_it_changed_and_reads_back_equal() {
    let dir = std::env::temp_dir().join(format!("api-mock-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let seed = crate::seed::SeedFile::demo().unwrap();
    let mut loaded = crate::state::world_from_seed_with(&seed, 300).unwrap();
    let meta = Meta {
        next_id: loaded.next_id,
        generated: None,
        last_now: 0,
    };
    let mut db = Sqlite::open(&dir.join("collab.db")).unwrap();
    db.replace("", &meta, &loaded.world.snapshot()).unwrap();
    loaded.world.forget_changes();
    let world = &mut loaded.world;
    let origin = world.organisations()[0].ods_code.clone();
    let patient = world.patients()[0].id.clone();
    world
        .receive_request(
            NewRequest {
                id: RequestId::new("r-new"),
                origin,
                patient,
                kind: RequestKind::Admin,
                subject: "Repeat prescription".into(),
                message: "Please.".into(),
            },
            Timestamp::from_millis(1_800_000_000_000),
            EventId::new("ev-new"),
        )
        .unwrap();
    let delta = world.take_delta();
    let before = db.conn.total_changes();
    db.commit("", &meta, &delta).unwrap();
    assert_eq!(db.conn.total_changes() - before, 1 + 1 + 4, "{delta:?}");
    let (_, stored) = db.load("").unwrap().unwrap();
    assert_eq!(stored, world.snapshot());

    // Issue 19 item 1: an audit position written twice (two writers, one file) is an
    // error and changes nothing, never an overwrite of the first event.
    let mut other = delta.clone();
    for (_, event) in other.audit.iter_mut() {
        event.detail = "A second writer's event".into();
    }
    let again = db.commit("", &meta, &other).unwrap_err();
    assert!(again.contains("UNIQUE"), "{again}");
    let (_, stored) = db.load("").unwrap().unwrap();
    assert_eq!(stored, world.snapshot(), "the first event stays");
    let _ = std::fs::remove_dir_all(&dir);
}
