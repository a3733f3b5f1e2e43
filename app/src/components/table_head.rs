//! The head of a responsive NHS table (`nhsuk-table--responsive`, the Agreements register and
//! the Audit log). On a phone the head is hidden and each cell names its column itself
//! (`nhsuk-table__heading`); the explicit roles keep the table a table for screen readers
//! once the CSS lays its rows out as blocks.

use leptos::prelude::*;

#[component]
pub fn ResponsiveTableHead(
    /// The column names, in order.
    columns: &'static [&'static str],
    /// A last column of buttons, named for screen readers only.
    #[prop(optional)]
    actions: Option<&'static str>,
) -> impl IntoView {
    view! {
        <thead class="nhsuk-table__head" role="rowgroup">
            <tr class="nhsuk-table__row" role="row">
                {columns
                    .iter()
                    .map(|name| {
                        view! {
                            <th scope="col" class="nhsuk-table__header" role="columnheader">
                                {*name}
                            </th>
                        }
                    })
                    .collect_view()}
                {actions
                    .map(|name| {
                        view! {
                            <th scope="col" class="nhsuk-table__header" role="columnheader">
                                <span class="nhsuk-u-visually-hidden">{name}</span>
                            </th>
                        }
                    })}
            </tr>
        </thead>
    }
}
