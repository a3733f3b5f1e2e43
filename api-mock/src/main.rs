//! `api-mock`: parses the command line, loads the state, prints `listening on http://ADDR`
//! once the socket is bound, and serves until interrupted.

use std::sync::Arc;

use api_mock::config::Config;
use api_mock::{app, AppState};

#[tokio::main]
async fn main() {
    let config = match Config::parse(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("api-mock: {e}");
            std::process::exit(2)
        }
    };
    let state = match tokio::task::spawn_blocking({
        let config = config.clone();
        move || AppState::start(&config)
    })
    .await
    {
        Ok(Ok(s)) => Arc::new(s),
        Ok(Err(e)) => {
            eprintln!("api-mock: {e}");
            std::process::exit(1)
        }
        Err(e) => {
            eprintln!("api-mock: loading the state failed: {e}");
            std::process::exit(1)
        }
    };
    let listener = match tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "api-mock: cannot listen on {}:{}: {e}",
                config.host, config.port
            );
            std::process::exit(1)
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}"),
        Err(e) => {
            eprintln!("api-mock: {e}");
            std::process::exit(1)
        }
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("api-mock: {e}");
        std::process::exit(1)
    }
}
