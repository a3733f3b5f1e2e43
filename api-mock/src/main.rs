//! `api-mock`: parses the command line, loads the state, prints `listening on http://ADDR`
//! once the socket is bound, and serves until Ctrl-C or SIGTERM (a graceful shutdown: exit 0). Logs go to stderr through
//! `tracing`, one line per request, level from `RUST_LOG` (default `info`).

use std::net::SocketAddr;
use std::sync::Arc;

use api_mock::config::{Command, Config};
use api_mock::gate::Gate;
use api_mock::{app_with_gate, AppState};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    // `--help` and `--version` exit 0 on stdout; a refused command line exits 2 on stderr.
    let config = match Command::from_args(std::env::args_os()).unwrap_or_else(|e| e.exit()) {
        Command::Serve(config) => config,
        Command::Backup { data, out } => match api_mock::backup::run(&data, &out) {
            Ok(()) => {
                println!("backed up {} to {}", data.display(), out.display());
                return;
            }
            Err(e) => fail(e),
        },
    };
    let gate = password_gate(&config);
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
    if let Some(url) = &config.base_url {
        println!("users reach it at {url}");
    }
    // K8: a new key each start unless --facilitator-key-file; printed here only (stdout, not
    // the log), exchanged at /facilitator for a session.
    if let Some(key) = state.research.take_new_key() {
        println!("facilitator key: {key}");
    }
    if let Some(study) = state.research.study() {
        println!(
            "study loaded: {} (facilitator page: /facilitator)",
            study.study.name
        );
    }
    let live = state.clone();
    let shutdown = async move {
        stop_signal().await;
        // Open event streams never end by themselves: end them, or the graceful shutdown
        // would wait for every open tab.
        live.live.close();
    };
    let service = app_with_gate(state, gate).into_make_service_with_connect_info::<SocketAddr>();
    if let Err(e) = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
    {
        fail(e)
    }
}

/// The password gate of `--password-file`: the file's first line, which must not be empty.
fn password_gate(config: &Config) -> Option<Arc<Gate>> {
    let path = config.password_file.as_ref()?;
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        fail(format!(
            "cannot read the password file {}: {e}",
            path.display()
        ))
    });
    let password = text.lines().next().unwrap_or_default();
    if password.trim().is_empty() {
        fail(format!("the password file {} is empty", path.display()));
    }
    let https = config
        .base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    Some(Arc::new(Gate::new(password, https)))
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
