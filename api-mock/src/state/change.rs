//! The change path: a change applied to a copy of the state, its difference committed, then
//! the copy published and the change's live events sent (see the module docs of `state`).

use std::sync::Arc;

use domain::Touched;

use super::seeds::world_from_seed_with;
use super::{AppState, Loaded, Space, Store};
use crate::error::ApiError;

impl AppState {
    /// [`Space::change`] in the demo world.
    pub async fn change<T: Send + 'static>(
        self: &Arc<Self>,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.demo.change(change).await
    }

    /// `POST /api/demo/reset` on the demo world: back to the seed data (sessions stay valid:
    /// the seed's users are the same).
    pub async fn reset(self: &Arc<Self>) -> Result<(), ApiError> {
        let seed = self.seed.clone();
        let generate = self.generate_requests;
        self.demo
            .replace_with(move |store| {
                let loaded = world_from_seed_with(&seed, generate).map_err(ApiError::internal)?;
                let next_id = store.next_id;
                *store = Store::new(Loaded { next_id, ..loaded }, store.last_now);
                Ok(())
            })
            .await
    }
}

impl Space {
    /// Applies `change` to a copy of the state, writes what it changed, then publishes it, on a
    /// blocking thread and in turn with other changes. On a refusal the domain has changed
    /// nothing, and nothing is written. The turn and the work belong to the blocking task, so
    /// a caller that goes away cannot leave the disk ahead of memory.
    pub async fn change<T: Send + 'static>(
        self: &Arc<Self>,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.change_as(Write::Delta, Touched::default(), change)
            .await
    }

    /// Replaces the whole state by what `change` makes of it (a reset): written whole, and
    /// every client of this world reloads.
    pub async fn replace_with(
        self: &Arc<Self>,
        change: impl FnOnce(&mut Store) -> Result<(), ApiError> + Send + 'static,
    ) -> Result<(), ApiError> {
        self.change_as(Write::Everything, Touched::default(), change)
            .await
    }

    /// [`change`](Self::change) for a command that touches what its audit events do not name
    /// (a patient's preference, which L1 does not audit), so live updates cover it too.
    pub async fn change_touching<T: Send + 'static>(
        self: &Arc<Self>,
        touched: Touched,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.change_as(Write::Delta, touched, change).await
    }

    async fn change_as<T: Send + 'static>(
        self: &Arc<Self>,
        how: Write,
        touched: Touched,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let turn = self.writers.clone().lock_owned().await;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            state.apply(how, touched, change)
        })
        .await
        .map_err(|e| ApiError::internal(format!("a change did not finish: {e}")))?
    }

    /// Applies, writes, publishes the state, then publishes the change's live events (E1):
    /// after the change is durable and visible to readers, still in the writers' turn, so
    /// events go out in the order of the changes.
    fn apply<T>(
        &self,
        how: Write,
        touched: Touched,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        if self.durable.is_broken() {
            return Err(not_writable());
        }
        if self.is_closed() {
            // A participant deleted while this change waited for its turn.
            return Err(ApiError::unauthenticated());
        }
        let before = self.read();
        // O(1) whatever the size of the state: the world's collections are persistent and
        // share their structure with the published copy (ARCHITECTURE.md, "The store").
        let mut next = Store::clone(&before);
        let answer = change(&mut next)?;
        // What the change touched, from the world's dirty log (which this empties, so the
        // published state's is empty): O(change).
        let delta = next.world.take_delta();
        let world = self.key.as_str();
        let written = self.durable.with(|db| match how {
            Write::Delta => {
                if delta.is_empty() && next.next_id == before.next_id {
                    Ok(())
                } else {
                    db.commit(world, &next.meta(), &delta)
                }
            }
            Write::Everything => db.replace(world, &next.meta(), &next.stored_snapshot()),
        });
        {
            if let Some(Err(e)) = written {
                // The transaction rolled back and this copy is dropped, so memory still equals
                // the disk; but a disk that failed once (full, I/O error) is not trusted with
                // more: every later change answers 503 until an operator restarts.
                let why = format!("cannot write the database: {e}");
                tracing::error!("{why}; no more changes are accepted until api-mock is restarted");
                let _ = self.durable.broken.set(why);
                return Err(not_writable());
            }
        }
        let next = Arc::new(next);
        match self.store.write() {
            Ok(mut g) => *g = next.clone(),
            Err(poisoned) => *poisoned.into_inner() = next.clone(),
        }
        match how {
            Write::Delta => {
                let mut touched = touched;
                // The events the command appended (the log only grows), by index: `skip` on
                // the persistent vector's iterator would step over the whole log, O(history).
                let log = next.world.audit_log();
                let appended =
                    (before.world.audit_log().len()..log.len()).filter_map(|i| log.get(i));
                let from_audit = Touched::from_audit(appended);
                touched.requests.extend(from_audit.requests);
                touched.shares.extend(from_audit.shares);
                touched.agreements.extend(from_audit.agreements);
                touched.covers.extend(from_audit.covers);
                if !touched.is_empty() {
                    self.live
                        .publish(next.world.notices_since(&before.world, &touched));
                }
            }
            // The world was replaced as a whole: every client reloads.
            Write::Everything => self.live.publish_reset(),
        }
        if let Some(observe) = self.observer.get() {
            observe(&before, &next);
        }
        Ok(answer)
    }
}

/// The answer to a change while the database cannot be written (503, API.md "Errors").
fn not_writable() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The server cannot save changes (its database could not be written); nothing was \
         changed. Reading still works; changes need a restart of the server.",
    )
}

/// How a change is written: its difference, or the whole state (reset).
#[derive(Debug, Clone, Copy)]
enum Write {
    Delta,
    Everything,
}
