//! The accept loop: HTTP/1.1 connections served by hyper with a header read
//! timeout, and a graceful shutdown.
//!
//! `axum::serve` has no header read timeout, so a client that sends one
//! header byte every few seconds (slowloris) keeps its connection, and a task,
//! forever; a few thousand of them exhaust file descriptors. Here each
//! connection must deliver a request's line and headers within
//! `header_read_timeout` (the same limit closes idle keep-alive connections),
//! or hyper closes it.
//!
//! One peer address may hold only so many connections at once; further ones
//! are closed as soon as they are accepted, so one host cannot take every
//! file descriptor or keep thousands of slow requests open.
//!
//! On shutdown the listener is dropped first (new connections are refused),
//! idle connections are closed, and requests in flight run to completion,
//! for at most a grace period: a client that stops reading cannot hold the
//! process up.

use std::{
    collections::HashMap,
    future::Future,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{extract::ConnectInfo, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Connections the kernel queues for `accept` (capped by
/// `net.core.somaxconn`). tokio's `TcpListener::bind` asks for 1,024; when
/// 2,000 clients connect at once the queue overflows, and Linux drops the
/// handshake's last packet while the client already counts itself connected
/// and sends its request, which then waits for retransmissions: seconds of
/// latency that the server never sees (measured by `scripts/bench.sh`'s
/// overload scenario, and in `nstat`'s `ListenOverflows`).
pub const ACCEPT_BACKLOG: u32 = 4096;

/// How long a graceful stop waits for the requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Listens on `addr` with [`ACCEPT_BACKLOG`].
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// How connections are accepted and closed.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub per_peer: usize,
    pub shutdown_grace: Duration,
}

/// Open connections per peer address.
#[derive(Default)]
struct Peers(Mutex<HashMap<IpAddr, usize>>);

/// One of a peer's connections; counted while it lives.
struct Counted {
    peers: Arc<Peers>,
    ip: IpAddr,
}

impl Peers {
    fn admit(self: &Arc<Self>, ip: IpAddr, limit: usize) -> Option<Counted> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(ip).or_default();
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(Counted {
            peers: self.clone(),
            ip,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.peers.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then waits for the
/// requests in flight. Handlers see the peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let peers = Arc::new(Peers::default());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_error(error).await;
                    continue;
                }
            },
        };
        let Some(counted) = peers.admit(peer.ip(), limits.per_peer) else {
            tracing::debug!(%peer, "too many connections from this address; closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _counted = counted;
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    // Stop accepting: connection attempts from now on are refused.
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(grace = ?limits.shutdown_grace, "stopped with connections still open");
    }
    Ok(())
}

/// Errors on one accepted socket (the peer reset it) are not the listener's;
/// running out of file descriptors is, and retrying at once would spin.
async fn accept_error(error: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset | Interrupted
    ) {
        return;
    }
    tracing::warn!(%error, "accept failed; pausing before the next");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
