use axum::{routing::get, Json, Router};
use serde_json::{json, Value};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

/// Liveness: answers as long as the process serves HTTP. It never touches
/// storage, so a slow database cannot get a healthy process restarted.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
