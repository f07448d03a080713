//! The accept loop's defences: a client that never finishes its headers
//! (slowloris) is disconnected after the header read timeout while others
//! are served, and a graceful stop lets a request in flight finish.

use std::time::{Duration, Instant};

use crate::helpers::{Backend, TestApp};
use server::config::Config;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

fn addr(api: &TestApp) -> String {
    api.base.trim_start_matches("http://").to_string()
}

/// Reads until the peer closes; `Err` if it is still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Result<Vec<u8>, ()> {
    let mut received = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(limit, read_all)
        .await
        .map_err(|_| ())?;
    Ok(received)
}

#[tokio::test]
async fn a_socket_that_never_finishes_its_headers_is_closed() {
    let config = Config {
        header_read_timeout_secs: 1,
        ..Config::for_tests()
    };
    let api = TestApp::spawn_with(Backend::Sqlite, config).await.unwrap();

    let started = Instant::now();
    let mut slow = TcpStream::connect(addr(&api)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // Keep trickling, as a slowloris client does: each byte arrives well
    // within the timeout, the headers never end.
    let trickle = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow.write_all(b"a").await.is_err() {
                break;
            }
        }
    };
    let mut silent = TcpStream::connect(addr(&api)).await.unwrap();
    let (_, silent_closed) = tokio::join!(trickle, async {
        // Meanwhile a normal client is served at once.
        let response = api.client().get("/healthz").await;
        response.assert_status(200);
        closed_within(&mut silent, Duration::from_secs(5)).await
    });
    assert!(
        silent_closed.is_ok(),
        "a connection that sends nothing stays open"
    );
    let received = closed_within(&mut slow, Duration::from_secs(5))
        .await
        .expect("the trickling connection is still open");
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(8),
        "closed only after {elapsed:?}"
    );
    // It got no response to its unfinished request (hyper may answer 408
    // before closing, but never a 200).
    assert!(
        !String::from_utf8_lossy(&received).contains(" 200 "),
        "answered an unfinished request: {}",
        String::from_utf8_lossy(&received)
    );
    api.stop().await;
}

#[tokio::test]
async fn a_complete_request_on_a_slow_link_is_served() {
    // The timeout is for the whole header, not per byte: a request sent in
    // pieces within it is answered.
    let config = Config {
        header_read_timeout_secs: 2,
        ..Config::for_tests()
    };
    let api = TestApp::spawn_with(Backend::Sqlite, config).await.unwrap();
    let mut stream = TcpStream::connect(addr(&api)).await.unwrap();
    for piece in [
        &b"GET /healthz HTT"[..],
        b"P/1.1\r\nHost: x\r\n",
        b"Connection: close\r\n\r\n",
    ] {
        stream.write_all(piece).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let received = closed_within(&mut stream, Duration::from_secs(5))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
    api.stop().await;
}

#[tokio::test]
async fn stopping_refuses_new_connections_and_closes_idle_ones() {
    let api = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let address = addr(&api);
    // An idle keep-alive connection that has had one answer.
    let mut idle = TcpStream::connect(&address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 OK"));

    tokio::time::timeout(Duration::from_secs(5), api.stop())
        .await
        .expect("the server stops without waiting for idle connections");
    assert!(
        closed_within(&mut idle, Duration::from_secs(2))
            .await
            .is_ok(),
        "the idle connection was left open"
    );
    assert!(
        TcpStream::connect(&address).await.is_err(),
        "a stopped server still accepts connections"
    );
}

#[tokio::test]
async fn the_production_listener_accepts_on_both_address_families() {
    for addr in ["127.0.0.1:0", "[::1]:0"] {
        let Ok(listener) = server::connections::bind(addr.parse().unwrap()) else {
            // No IPv6 on this machine: nothing to check for that family.
            assert!(addr.starts_with('['), "cannot listen on {addr}");
            continue;
        };
        let local = listener.local_addr().unwrap();
        let (accepted, connected) = tokio::join!(listener.accept(), TcpStream::connect(local));
        assert!(accepted.is_ok() && connected.is_ok());
    }
}

/// H-1: bodies sent a byte at a time held the request slots, so a few
/// hundred trickling connections made every request, `/healthz` included,
/// answer 503. A body is now read before its request takes a slot, and
/// within `CHIRP_BODY_READ_TIMEOUT_SECS` (else 408, and the connection
/// closes).
#[tokio::test]
async fn bodies_sent_slowly_hold_no_request_slot_and_time_out() {
    let config = Config {
        max_concurrent_requests: 2,
        body_read_timeout_secs: 2,
        ..Config::for_tests()
    };
    let api = TestApp::spawn_with(Backend::Sqlite, config).await.unwrap();
    let (alice, _) = api.user("alice").await;
    let cookie = alice.cookie.clone().unwrap();
    let head = format!(
        "POST /api/v2/tweets HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"body\":\""
    );
    let mut tricklers = Vec::new();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(addr(&api)).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        tricklers.push(stream);
    }
    let started = Instant::now();
    let trickle = async {
        for _ in 0..4 {
            for stream in &mut tricklers {
                let _ = stream.write_all(b"x").await;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    let others = async {
        // Eight times the slots, while sixteen bodies are still arriving.
        for _ in 0..8 {
            for path in ["/healthz", "/api/v2/tweets", "/"] {
                let asked = Instant::now();
                let status = api.get(path).await.status();
                assert_eq!(status, 200, "{path} while bodies trickle");
                assert!(
                    asked.elapsed() < Duration::from_millis(500),
                    "{path} waited"
                );
            }
        }
    };
    tokio::join!(trickle, others);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the bodies timed out too early"
    );
    for mut stream in tricklers {
        let received = closed_within(&mut stream, Duration::from_secs(4))
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&received);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    }
    let tweets = api.client().get("/api/v2/tweets").await.json();
    assert_eq!(
        tweets["tweets_list"],
        serde_json::json!([]),
        "no trickled tweet was posted"
    );
    api.stop().await;
}
