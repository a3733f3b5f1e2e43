//! The screen a path shows, named by its route template (SPEC K6): `/messages`, `/p/:code`,
//! never a concrete id or a query string, so the log holds no data of the sandbox and the
//! facilitator's lostness counts screens, not addresses. The templates are those of the routes
//! in `lib.rs`; a route added there is added here too.

/// The routes of `lib.rs`, as templates: segments starting with `:` match any one segment.
pub const SCREENS: [&str; 11] = [
    "/messages",
    "/groups",
    "/colleagues",
    "/external",
    "/agreements",
    "/audit",
    "/accessibility",
    "/about",
    "/facilitator",
    "/p/:code",
    "/",
];

/// The name logged for a path that matches no route (the "page not found" screen).
pub const NOT_FOUND: &str = "/not-found";

/// The template of the route that shows `path` (a location's pathname; a query string or a
/// fragment, if any, is dropped first).
pub fn template(path: &str) -> &'static str {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() { "/" } else { trimmed };
    SCREENS
        .iter()
        .copied()
        .find(|template| matches(template, path))
        .unwrap_or(NOT_FOUND)
}

fn matches(template: &str, path: &str) -> bool {
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with(':') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_logged_by_its_route() {
        assert_eq!(template("/groups"), "/groups");
        assert_eq!(template("/messages"), "/messages");
        assert_eq!(template("/"), "/");
    }

    #[test]
    fn a_query_string_and_a_trailing_slash_are_not_part_of_the_screen() {
        assert_eq!(
            template("/messages?folder=g-cam-reception&request=r-1001"),
            "/messages"
        );
        assert_eq!(template("/groups/"), "/groups");
        assert_eq!(template("/audit#top"), "/audit");
    }

    #[test]
    fn a_concrete_id_becomes_the_parameter_of_its_template() {
        assert_eq!(template("/p/Zx81-secret-code"), "/p/:code");
        assert_eq!(template("/p/"), NOT_FOUND);
    }

    #[test]
    fn a_path_of_no_route_is_the_not_found_screen_and_never_itself() {
        assert_eq!(template("/groups/g-cam-reception"), NOT_FOUND);
        assert_eq!(template("/nowhere"), NOT_FOUND);
    }

    #[test]
    fn every_template_is_a_name_the_server_accepts() {
        // API.md: letters, digits and /{}_-.: only, at most 100.
        for t in SCREENS.iter().chain([&NOT_FOUND]) {
            assert!(t.len() <= 100);
            assert!(t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/{}_-.:".contains(c)));
        }
    }
}
