//! `api-mock`: parses the command line, loads the state, prints `listening on http://ADDR`
//! once the socket is bound, and serves until Ctrl-C or SIGTERM (a graceful shutdown: exit 0). Logs go to stderr through
//! `tracing`, one line per request, level from `RUST_LOG` (default `info`).

use std::sync::Arc;

use api_mock::config::Config;
use api_mock::{app, AppState};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    // `--help` and `--version` exit 0 on stdout; a refused command line exits 2 on stderr.
    let config = Config::from_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let state = match tokio::task::spawn_blocking({
        let config = config.clone();
        move || AppState::start(&config)
    })
    .await
    {
        Ok(Ok(s)) => Arc::new(s),
        Ok(Err(e)) => fail(e),
        Err(e) => fail(format!("loading the state failed: {e}")),
    };
    let listener = match tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await {
        Ok(l) => l,
        Err(e) => fail(format!(
            "cannot listen on {}:{}: {e}",
            config.host, config.port
        )),
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}"),
        Err(e) => fail(e),
    }
    let live = state.clone();
    let shutdown = async move {
        stop_signal().await;
        // Open event streams never end by themselves: end them, or the graceful shutdown
        // would wait for every open tab.
        live.live.close();
    };
    if let Err(e) = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
    {
        fail(e)
    }
}

/// Ctrl-C (SIGINT) or SIGTERM, how containers and systemd stop a process (issue 19): either
/// starts the graceful shutdown, which ends with exit 0.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!("SIGTERM cannot be caught ({e}); stopping on Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Says why the server cannot start or stopped, on stderr, and exits 1.
fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("api-mock: {e}");
    std::process::exit(1)
}
