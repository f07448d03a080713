//! A tiny HTTP user agent for the API tests: it keeps the session cookie the
//! way a browser would, and checks every response for leaked secrets.

use reqwest::{header::HeaderMap, Method};
use serde_json::Value;

/// One user agent (think: one browser) with its own session cookie.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    /// `chirp_session=…` as last set by the server.
    pub cookie: Option<String>,
    /// Extra headers sent with every request (e.g. `Origin`).
    pub headers: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, and that the body is the one error shape with
    /// this code. Returns the body's `details`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "error without JSON content type: {:?}",
            self.headers
        );
        let body = self.json();
        assert_eq!(body["error"], code, "{body}");
        assert!(body["message"].is_string(), "{body}");
        assert!(body["details"].is_object(), "{body}");
        let mut keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["details", "error", "message"], "{body}");
        body["details"].clone()
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "{}", self.text);
        self
    }
}

/// The response carries a bcrypt hash (`$2b$12$…`) anywhere.
pub fn has_bcrypt_hash(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(7).any(|w| {
        w[0] == b'$'
            && w[1] == b'2'
            && matches!(w[2], b'a' | b'b' | b'x' | b'y')
            && w[3] == b'$'
            && w[4].is_ascii_digit()
            && w[5].is_ascii_digit()
            && w[6] == b'$'
    })
}

/// The `id` of a JSON user or tweet.
pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

impl Client {
    /// Posts `body` as a tweet (201 expected); its id.
    pub async fn tweet(&mut self, body: &str) -> String {
        let posted = self
            .post("/api/v2/tweets", serde_json::json!({ "body": body }))
            .await;
        posted.assert_status(201);
        id(&posted.json())
    }

    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            headers: Vec::new(),
        }
    }

    /// The same base URL, no cookie: another person.
    pub fn stranger(&self) -> Self {
        Self::new(&self.base)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&mut self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&mut self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn send(&mut self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.finish(path, request).await
    }

    /// A request with a raw body and content type of the test's choosing.
    pub async fn raw(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut request = self.http.request(method, self.url(path)).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.finish(path, request).await
    }

    async fn finish(&mut self, path: &str, mut request: reqwest::RequestBuilder) -> Resp {
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        // Like a browser: remember the session cookie, forget it when
        // told to.
        for set in headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap().trim();
            let name = pair.split('=').next().unwrap_or_default();
            if name == "chirp_session" || name == "__Host-chirp_session" {
                self.cookie = if set.contains("Max-Age=0") || pair.ends_with('=') {
                    None
                } else {
                    Some(pair.to_string())
                };
            }
        }
        // Must show 6, on every response of every test: no hash, ever; and
        // no successful API response mentions a password at all.
        assert!(!has_bcrypt_hash(&text), "bcrypt hash in response: {text}");
        // (Pages have password inputs, and the OpenAPI document describes
        // the requests' password fields.)
        if (200..300).contains(&status) && path.starts_with("/api/") && path != "/api/openapi.json"
        {
            assert!(
                !text.to_lowercase().contains("password"),
                "`password` in a {status} response: {text}"
            );
        }
        Resp {
            status,
            headers,
            text,
        }
    }
}
