//! The stylesheet and icon, compiled into the binary: the pages fetch nothing from anywhere else.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

const CSS: &[u8] = include_bytes!("../../assets/serve/serve.css");
const ICON: &[u8] = include_bytes!("../../assets/serve/favicon.svg");

pub async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "serve.css" => ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response(),
        "favicon.svg" => ([(header::CONTENT_TYPE, "image/svg+xml")], ICON).into_response(),
        _ => super::layout::not_found().await,
    }
}
