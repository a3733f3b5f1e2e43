//! Entry point of the client: mounts the application on `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    // index.html paints a static frame (header, empty page, footer) before the wasm arrives
    // (issue 20, item 7). The client's shell is the same markup; removing the frame and mounting
    // happen in this one task, so the browser never paints between them and nothing moves.
    if let Some(frame) = leptos::prelude::document().get_element_by_id("app-frame") {
        frame.remove();
    }
    leptos::mount::mount_to_body(app::App);
    // Mounting is synchronous, so the shell is in the document now. The mark lets the browser
    // suite (and real-user monitoring) read when the shell first rendered.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("app:shell-rendered");
    }
}
