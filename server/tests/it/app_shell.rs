use std::time::Duration;

use crate::helpers::Backend;

crate::on_both_stores!(
    healthz_answers_ok_without_storage,
    home_page_is_server_rendered_with_the_shell,
    unknown_page_renders_not_found_with_status_404,
);

async fn healthz_answers_ok_without_storage(backend: Backend) {
    let server = crate::spawn!(backend);
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    server.stop().await;
}

async fn home_page_is_server_rendered_with_the_shell(backend: Backend) {
    let server = crate::spawn!(backend);
    let response = server.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<title>Chirp</title>"), "{html}");
    assert!(html.contains(r#"href="/pkg/chirp.css""#), "{html}");
    assert!(html.contains(r#"href="/favicon.svg""#), "{html}");
    assert!(html.contains(r#"data-hydrated="false""#), "{html}");
    assert!(html.contains("/pkg/chirp.js"), "hydration script: {html}");
    server.stop().await;
}

async fn unknown_page_renders_not_found_with_status_404(backend: Backend) {
    let server = crate::spawn!(backend);
    let response = server.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"), "{html}");
    server.stop().await;
}

#[test]
fn the_binary_exits_cleanly_on_sigterm() {
    use std::{
        io::Read,
        net::TcpListener,
        process::{Command, Stdio},
    };

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data_dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chirp-server"))
        .env("CHIRP_ADDR", format!("127.0.0.1:{port}"))
        .env("CHIRP_DATA_DIR", data_dir.path())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !healthz_answers(port) {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    let mut log = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(exit.success(), "exit {exit:?}, log:\n{log}");
    assert!(log.contains("SIGTERM received"), "{log}");
}

fn healthz_answers(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let mut answer = String::new();
    stream.write_all(b"GET /healthz HTTP/1.0\r\n\r\n").is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.0 200")
}
