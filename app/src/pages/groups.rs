//! Groups page: the organisation's groups, each with Share and its "Shared with" list.

use domain::wire::TargetKind;
use leptos::prelude::*;

use super::target_list::TargetList;

#[component]
pub fn GroupsPage() -> impl IntoView {
    view! { <TargetList kind=TargetKind::Group /> }
}
