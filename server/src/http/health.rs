//! Liveness and readiness, for orchestrators and load balancers. Served
//! outside the load shedder and the request timeout (see `middleware.rs`),
//! so a busy instance is not mistaken for a dead one.

use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde_json::{json, Value};

use crate::{store::Store, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Liveness: answers as long as the process serves HTTP. It never touches
/// storage, so a slow database cannot get a healthy process restarted.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: whether this instance can serve requests now, i.e. whether
/// its store answers (and, on MongoDB, is still a replica set). A load
/// balancer stops sending traffic on 503 and resumes when it recovers;
/// nothing restarts. `outbox` is how many recorded changes wait to be
/// published to Kafka: it grows while the broker is away and drains when
/// it is back, without making the instance unready (writes still work).
async fn readyz(State(store): State<Store>) -> (StatusCode, Json<Value>) {
    match store.health.ping().await {
        Ok(()) => {
            let outbox = store.outbox.backlog().await.ok();
            (
                StatusCode::OK,
                Json(json!({ "status": "ok", "outbox": outbox })),
            )
        }
        Err(error) => {
            tracing::warn!(%error, "readiness: store unavailable");
            let reason = match &error {
                crate::store::StoreError::Misconfigured(why) => why.clone(),
                _ => "the store does not answer".to_string(),
            };
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "reason": reason })),
            )
        }
    }
}
