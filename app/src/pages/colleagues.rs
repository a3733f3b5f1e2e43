//! Colleagues page: everything shown for groups applies to colleagues too (the guide).

use domain::wire::TargetKind;
use leptos::prelude::*;

use super::target_list::TargetList;

#[component]
pub fn ColleaguesPage() -> impl IntoView {
    view! { <TargetList kind=TargetKind::Colleague /> }
}
