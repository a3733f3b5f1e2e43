//! The NHS footer (nhsuk-footer markup of nhsuk-frontend 10) with this service's own links.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo" data-testid="site-footer">
            <div class="nhsuk-width-container">
                <div class="nhsuk-footer__meta">
                    <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                    <ul class="nhsuk-footer__list">
                        <li class="nhsuk-footer__list-item">
                            <A href="/accessibility" attr:class="nhsuk-footer__list-item-link">
                                "Accessibility statement"
                            </A>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <A href="/about" attr:class="nhsuk-footer__list-item-link">
                                "About this demo and its data"
                            </A>
                        </li>
                    </ul>
                    <p class="nhsuk-body-s">"A demonstration service. All its data is made up."</p>
                </div>
            </div>
        </footer>
    }
}
