//! The HTTP stack's ceiling on this machine, for `scripts/bench.sh`: a
//! minimal axum handler answering every GET with the same bytes, held in
//! memory, as a real timeline page (a file the benchmark saved from the
//! real server). No store, no middleware: what is left is tokio, hyper
//! and axum routing, so every read scenario is reported as a fraction of
//! it. Not part of the production server.
//!
//! usage: chirp-ceiling <address> <body file>

use std::process::ExitCode;

use axum::{body::Bytes, http::header, routing::get, Router};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(file), None) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: chirp-ceiling <address> <body file>");
        return ExitCode::FAILURE;
    };
    let body = match std::fs::read(&file) {
        Ok(body) => Bytes::from(body),
        Err(error) => {
            eprintln!("cannot read {file}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let page = move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    };
    let app = Router::new().fallback(get(page));
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(server::shutdown::signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
