//! What a sharing decision would mean, in sentences an administrator can check before acting.
//!
//! The sharing screens show these before Share, Save and Enable/Disable, so the consequences of
//! S4–S7 and V2–V4 are read where the decision is taken rather than discovered later. Pure
//! functions of the decision only: the server stays the judge of what is allowed.

use crate::model::{ShareState, TargetKind};

/// "this group" or "this colleague".
fn this(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Group => "this group",
        TargetKind::Colleague => "this colleague",
    }
}

/// What an unrestricted, accepted share lets the partner see (V1, V2): the requests in the
/// target, except those whose patients asked not to share, which it sees only if it was involved
/// in them. A group holds requests, a colleague is assigned them.
fn every_request(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Group => {
            "the requests in it, except those whose patients asked not to share (unless it was \
             involved in them)"
        }
        TargetKind::Colleague => {
            "the requests assigned to them, except those whose patients asked not to share \
             (unless it was involved in them)"
        }
    }
}

/// What `partner` gains from a new share of a target (S4, V2, V3): an unrestricted share lets
/// it see the requests in the target whose patients did not ask not to share, a restricted one
/// only those it assigned there. Either
/// way nothing happens until the partner's administrator accepts, since a new share is pending.
pub fn share_effect(partner: &str, kind: TargetKind, restricted: bool) -> String {
    let gain = if restricted {
        format!(
            "{partner} will be able to assign to {} but see only requests they assign to it.",
            this(kind)
        )
    } else {
        format!(
            "{partner} will be able to assign to {} and see {}.",
            this(kind),
            every_request(kind)
        )
    };
    format!("{gain} Nothing changes until an administrator at {partner} accepts the share.")
}

/// What changing the restricted flag of an existing share does (S5, V4). `None` when the flag
/// would not change, since then saving changes nothing.
pub fn restriction_change_effect(
    partner: &str,
    kind: TargetKind,
    from: bool,
    to: bool,
) -> Option<String> {
    match (from, to) {
        (false, true) => Some(format!(
            "{partner} will at once stop seeing requests in {} that they did not assign; \
             those they assigned stay visible to them.",
            this(kind)
        )),
        (true, false) => Some(format!(
            "{partner} will see {} while the share is accepted, not only those they assigned.",
            every_request(kind)
        )),
        _ => None,
    }
}

/// What removing a share does (S7, V4): nothing moves, the partner keeps what it is involved
/// in, and can no longer assign to the target.
pub fn removal_effect(partner: &str, kind: TargetKind) -> String {
    format!(
        "{partner} will no longer be able to assign to {} or cover it. Requests already in it stay \
         where they are, and {partner} keeps seeing the ones it was involved in.",
        this(kind)
    )
}

/// One line for the partner's administrator on the External page: what the share's current
/// state means for their staff and what the available action would change (S4, S6, S7).
pub fn external_effect(state: ShareState, restricted: bool) -> String {
    let seeing = if restricted {
        "only the requests your organisation assigns to it"
    } else {
        "the requests in it, except those whose patients asked not to share (unless your \
         organisation was involved in them)"
    };
    match state {
        ShareState::Pending => format!(
            "Not accepted yet: enable it to let your staff assign to it, cover it and see {seeing}."
        ),
        ShareState::Enabled => format!(
            "Your staff can assign to it, cover it and see {seeing}. Disabling stops new \
             assignments and drops covers; requests already there stay."
        ),
        ShareState::Disabled => format!(
            "Disabled: your staff cannot assign to it or cover it. Enable it again to allow this \
             and see {seeing}."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unrestricted_share_lets_the_partner_see_the_group_s_requests_but_not_do_not_share_v2() {
        let text = share_effect("Camelia Surgery", TargetKind::Group, false);
        assert!(text.starts_with(
            "Camelia Surgery will be able to assign to this group and see the requests in it, \
             except those whose patients asked not to share (unless it was involved in them)."
        ));
        assert!(!text.contains("every request"));
    }

    #[test]
    fn restricted_share_lets_the_partner_see_only_requests_they_assign() {
        let text = share_effect("Camelia Surgery", TargetKind::Group, true);
        assert!(text.contains("see only requests they assign to it"));
        assert!(!text.contains("every request"));
    }

    #[test]
    fn a_new_share_is_said_to_wait_for_the_partner_to_accept_s4() {
        for restricted in [false, true] {
            let text = share_effect("North Tees PCN", TargetKind::Colleague, restricted);
            assert!(text.ends_with(
                "Nothing changes until an administrator at North Tees PCN accepts the share."
            ));
        }
    }

    #[test]
    fn an_unrestricted_colleague_share_speaks_of_requests_assigned_to_them() {
        let text = share_effect("Hartley Pharmacy", TargetKind::Colleague, false);
        assert!(text.contains(
            "assign to this colleague and see the requests assigned to them, except those whose \
             patients asked not to share"
        ));
    }

    #[test]
    fn restricting_says_visibility_is_withdrawn_at_once_v4() {
        let text = restriction_change_effect("X", TargetKind::Group, false, true);
        assert!(text.is_some_and(|t| t.contains("at once stop seeing")));
    }

    #[test]
    fn lifting_the_restriction_says_the_partner_sees_the_requests_patients_allow_v2() {
        let text = restriction_change_effect("X", TargetKind::Group, true, false);
        assert!(text
            .is_some_and(|t| t
                .contains("the requests in it, except those whose patients asked not to share")));
    }

    #[test]
    fn keeping_the_same_flag_has_no_effect_s5() {
        assert_eq!(
            restriction_change_effect("X", TargetKind::Group, true, true),
            None
        );
        assert_eq!(
            restriction_change_effect("X", TargetKind::Group, false, false),
            None
        );
    }

    #[test]
    fn removal_says_requests_stay_where_they_are_s7() {
        let text = removal_effect("Riverside Medical Practice", TargetKind::Group);
        assert!(text.contains("stay where they are"));
    }

    #[test]
    fn external_line_depends_on_state_and_restriction() {
        assert!(external_effect(ShareState::Pending, false).starts_with("Not accepted yet"));
        assert!(external_effect(ShareState::Enabled, true).contains("only the requests"));
        assert!(external_effect(ShareState::Enabled, false).contains("drops covers"));
        assert!(external_effect(ShareState::Disabled, false).starts_with("Disabled"));
    }

    #[test]
    fn external_line_says_unrestricted_partners_do_not_see_do_not_share_requests_v2() {
        for state in [
            ShareState::Pending,
            ShareState::Enabled,
            ShareState::Disabled,
        ] {
            let text = external_effect(state, false);
            assert!(!text.contains("every request"), "{text}");
            assert!(
                text.contains("except those whose patients asked not to share (unless your organisation was involved in them)"),
                "{text}"
            );
        }
    }
}
