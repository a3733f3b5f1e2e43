//! What the shared screens tell a study's interaction log (SPEC K6): dialogs opened and closed by
//! name, problems shown by field and code. In the research build (`--features research`) each
//! goes to the participant's log, which records only in a participant's session
//! (`task::log`); the staff build carries no log and these do nothing.

/// A dialog, named as `components::dialog` names it, was opened (`true`) or closed.
pub fn dialog(open: bool, name: &str) {
    #[cfg(feature = "research")]
    crate::task::log::record(crate::task::log::dialog(open, name));
    #[cfg(not(feature = "research"))]
    let _ = (open, name);
}

/// A form refused its answers: the field's id and the problem's code, never its words.
pub fn problem(field: &str, code: &'static str) {
    #[cfg(feature = "research")]
    crate::task::log::record(crate::task::log::problem(field, code));
    #[cfg(not(feature = "research"))]
    let _ = (field, code);
}
