//! The session as the calls see it: the bearer token sent with every call, what to do on a 401,
//! and the calls each token has on their way.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static ON_UNAUTHORIZED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
    /// Calls on their way, by the token they carry: a session is ended on the server only once
    /// the calls it made are answered, so a change sent just before a persona switch is kept.
    static IN_FLIGHT: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
}

/// Counts one call of a token from when it is prepared until its future is done or dropped.
pub(super) struct InFlight(Option<String>);

impl InFlight {
    pub(super) fn start(token: Option<String>) -> InFlight {
        if let Some(token) = &token {
            IN_FLIGHT.with(|m| *m.borrow_mut().entry(token.clone()).or_default() += 1);
        }
        InFlight(token)
    }

    pub(super) fn count(token: &str) -> usize {
        IN_FLIGHT.with(|m| m.borrow().get(token).copied().unwrap_or(0))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(token) = &self.0 {
            IN_FLIGHT.with(|m| {
                let mut m = m.borrow_mut();
                if let Some(n) = m.get_mut(token) {
                    *n -= 1;
                    if *n == 0 {
                        m.remove(token);
                    }
                }
            });
        }
    }
}

/// Sets the bearer token sent with every call (None after sign-out).
pub fn set_token(token: Option<String>) {
    TOKEN.with(|t| *t.borrow_mut() = token);
}

pub(super) fn token() -> Option<String> {
    TOKEN.with(|t| t.borrow().clone())
}

/// Registers what to do when the server answers 401 to a call that carried a token.
pub fn on_unauthorized(handler: impl Fn() + 'static) {
    ON_UNAUTHORIZED.with(|h| *h.borrow_mut() = Some(Box::new(handler)));
}

/// Runs the handler registered for a 401.
pub(super) fn unauthorized() {
    ON_UNAUTHORIZED.with(|h| {
        if let Some(handler) = h.borrow().as_ref() {
            handler();
        }
    });
}
