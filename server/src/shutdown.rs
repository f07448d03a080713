use tokio::signal;

/// Resolves at the first SIGINT (Ctrl-C) or SIGTERM (what `kill`, systemd and
/// container runtimes send).
pub async fn signal() {
    let ctrl_c = async {
        signal::ctrl_c().await.expect("install the SIGINT handler");
    };
    #[cfg(unix)]
    let terminate = async {
        signal::unix::signal(signal::unix::SignalKind::terminate())
            .expect("install the SIGTERM handler")
            .recv()
            .await;
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received, finishing in-flight requests"),
        () = terminate => tracing::info!("SIGTERM received, finishing in-flight requests"),
    }
}
