//! Entry point of the client: mounts the application on `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // Mounting is synchronous, so the shell is in the document now. The mark lets the browser
    // suite (and real-user monitoring) read when the shell first rendered.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("app:shell-rendered");
    }
}
