use std::path::PathBuf;
use std::sync::Arc;

use api_mock::{app, AppState};

#[tokio::main]
async fn main() {
    let mut host = String::from("127.0.0.1");
    let mut port: u16 = 8080;
    let mut static_dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next().unwrap_or_else(|| {
                eprintln!("api-mock: {name} needs a value");
                std::process::exit(2)
            })
        };
        match arg.as_str() {
            "--host" => host = value("--host"),
            "--port" => {
                port = value("--port").parse().unwrap_or_else(|_| {
                    eprintln!("api-mock: --port needs a number");
                    std::process::exit(2)
                })
            }
            "--static" => static_dir = Some(PathBuf::from(value("--static"))),
            other => {
                eprintln!("api-mock: unknown argument {other}");
                std::process::exit(2)
            }
        }
    }
    let state = Arc::new(AppState { static_dir });
    let listener = match tokio::net::TcpListener::bind((host.as_str(), port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("api-mock: cannot listen on {host}:{port}: {e}");
            std::process::exit(1)
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}"),
        Err(e) => eprintln!("api-mock: {e}"),
    }
    if let Err(e) = axum::serve(listener, app(state)).await {
        eprintln!("api-mock: {e}");
        std::process::exit(1)
    }
}
