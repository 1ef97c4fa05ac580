//! A report's figures on its page: `/figure?id=ID&path=PATH` serves one image file from the report's own folder,
//! and only one that the report shows and ingest read (the `figures` frame lists it with state `ok`): nothing else
//! on the machine can be asked for. The file is read again through [`read_inside`] (no link on the way, a regular
//! file, at most [`MAX_FIGURE_BYTES`], an image by its bytes), sent with the type its bytes say, `nosniff` and a
//! sandboxing policy; an SVG that holds a script or an event handler is not served. `&size=thumb` sends a figure
//! wider than [`THUMB_WIDTH`] pixels scaled down, as PNG (the page links the full size).

use super::layout;
use super::App;
use crate::images::fingerprint::decode;
use crate::images::folder::{read_inside, MAX_FIGURE_BYTES};
use crate::images::sniff::{svg_is_inert, ImageKind};
use axum::extract::{Extension, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use polars::prelude::DataFrame;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Figures wider than this are sent scaled down on the page.
pub const THUMB_WIDTH: u32 = 900;

/// One image an answer shows, as the page needs it (and its JSON twin lists it).
#[derive(Debug, Clone, serde::Serialize)]
pub struct FigureRow {
    pub question: String,
    pub target: String,
    pub alt: String,
    /// `ok`, `remote`, `embedded` or `refused`.
    pub state: String,
    pub reason: Option<String>,
    pub path: Option<String>,
    pub bytes: Option<u64>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl FigureRow {
    /// The URL the page loads it from (`thumb`: scaled down when large).
    pub fn url(&self, id: &str, thumb: bool) -> Option<String> {
        let path = self.path.as_ref()?;
        let mut params = vec![("id", id.to_string()), ("path", path.clone())];
        if thumb && self.width.is_some_and(|w| w > THUMB_WIDTH) {
            params.push(("size", "thumb".to_string()));
        }
        Some(layout::link("/figure", &params))
    }
}

/// Every report's figures and folder, read once from the index.
pub struct ReportFigures {
    rows_of: HashMap<String, Vec<FigureRow>>,
    folder_of: HashMap<String, PathBuf>,
}

impl ReportFigures {
    fn load(app: &App) -> Result<ReportFigures, String> {
        let err = |e: crate::store::StoreError| super::error_chain(&e);
        let folder_of = app
            .index
            .manifest()
            .map_err(err)?
            .entries
            .into_iter()
            .filter_map(|e| Some((e.id, e.file.parent()?.to_path_buf())))
            .collect();
        // An index written before figures were read has no frame: no figures, not an error.
        let frame = app.index.figures_frame().ok();
        Ok(ReportFigures { rows_of: frame.as_ref().map(rows_by_report).unwrap_or_default(), folder_of })
    }

    /// The images a report's answers show, in the report's order.
    pub fn of(&self, id: &str) -> &[FigureRow] {
        self.rows_of.get(id).map_or(&[], Vec::as_slice)
    }

    /// The file of figure `path` of report `id`, when the report shows it and ingest read it.
    fn file(&self, id: &str, path: &str) -> Option<(&Path, &FigureRow)> {
        let row = self.of(id).iter().find(|r| r.state == "ok" && r.path.as_deref() == Some(path))?;
        Some((self.folder_of.get(id)?.as_path(), row))
    }
}

fn rows_by_report(df: &DataFrame) -> HashMap<String, Vec<FigureRow>> {
    let text = |name: &str| -> Vec<Option<String>> {
        df.column(name)
            .and_then(|c| c.str().cloned())
            .map(|c| c.iter().map(|v| v.map(str::to_string)).collect())
            .unwrap_or_else(|_| vec![None; df.height()])
    };
    let number = |name: &str| -> Vec<Option<u64>> {
        df.column(name)
            .and_then(|c| c.cast(&polars::prelude::DataType::UInt64))
            .and_then(|c| c.u64().cloned())
            .map(|c| c.iter().collect())
            .unwrap_or_else(|_| vec![None; df.height()])
    };
    let (id, question, target, alt, state, reason, path) =
        (text("id"), text("question"), text("target"), text("alt"), text("state"), text("reason"), text("path"));
    let (bytes, width, height) = (number("bytes"), number("width"), number("height"));
    let mut out: HashMap<String, Vec<FigureRow>> = HashMap::new();
    for i in 0..df.height() {
        let Some(report) = id[i].clone() else { continue };
        out.entry(report).or_default().push(FigureRow {
            question: question[i].clone().unwrap_or_default(),
            target: target[i].clone().unwrap_or_default(),
            alt: alt[i].clone().unwrap_or_default(),
            state: state[i].clone().unwrap_or_default(),
            reason: reason[i].clone(),
            path: path[i].clone(),
            bytes: bytes[i],
            width: width[i].map(|w| w as u32),
            height: height[i].map(|h| h as u32),
        });
    }
    out
}

impl App {
    /// Every report's figures (read once).
    pub fn report_figures(&self) -> Result<Arc<ReportFigures>, String> {
        self.report_figures.get_or_init(|| ReportFigures::load(self).map(Arc::new)).clone()
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct FigureQuery {
    id: String,
    path: String,
    size: Option<String>,
}

/// `/figure?id=ID&path=PATH[&size=thumb]`.
pub async fn figure(Extension(app): Extension<Arc<App>>, Query(q): Query<FigureQuery>) -> Response {
    let figures = match app.report_figures() {
        Ok(f) => f,
        Err(e) => return layout::internal(&e),
    };
    let Some((folder, _)) = figures.file(&q.id, &q.path) else {
        return layout::error_page(StatusCode::NOT_FOUND, "The report shows no figure at this path.");
    };
    let (folder, inside, thumb) = (folder.to_path_buf(), PathBuf::from(&q.path), q.size.as_deref() == Some("thumb"));
    // Reading and scaling are blocking work: off the server's own threads.
    let read = tokio::task::spawn_blocking(move || serve_file(&folder, &inside, thumb)).await;
    match read {
        Ok(Ok((kind, body))) => {
            let mut response = ([(header::CONTENT_TYPE, kind.mime())], body).into_response();
            let h = response.headers_mut();
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // Opened on its own (an SVG above all), the file may run nothing and load nothing.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            );
            h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
            response
        }
        Ok(Err(reason)) => layout::error_page(StatusCode::NOT_FOUND, &format!("{}: {reason}", q.path)),
        Err(e) => layout::internal(&e.to_string()),
    }
}

/// The bytes to send: the file as it is, or scaled to [`THUMB_WIDTH`] as PNG.
fn serve_file(folder: &Path, inside: &Path, thumb: bool) -> Result<(ImageKind, Vec<u8>), String> {
    let (kind, bytes) = read_inside(folder, inside, MAX_FIGURE_BYTES)?;
    if kind == ImageKind::Svg && !svg_is_inert(&bytes) {
        return Err("an SVG holding a script or an event handler is not served".to_string());
    }
    if !thumb || !kind.decodable() {
        return Ok((kind, bytes));
    }
    let image = decode(&bytes, kind)?;
    if image.width() <= THUMB_WIDTH {
        return Ok((kind, bytes));
    }
    let height = (image.height() as u64 * THUMB_WIDTH as u64 / image.width() as u64).max(1) as u32;
    let small = image.resize_exact(THUMB_WIDTH, height, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    small
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageOutputFormat::Png)
        .map_err(|e| format!("cannot scale it down: {e}"))?;
    Ok((ImageKind::Png, out))
}

/// An answer's text with each image it shows in place: a figure read from the report's folder as an image (scaled
/// down when large, linked to its full size), a web address as a link (never loaded), anything refused as a note
/// saying why. Text stays text (maud escapes it).
pub fn answer_text(id: &str, figures: &[&FigureRow], markdown: &str) -> maud::Markup {
    let mut parts: Vec<maud::Markup> = Vec::new();
    let mut rest = 0;
    for m in image_pattern().captures_iter(markdown) {
        let (Some(whole), Some(target)) = (m.get(0), m.name("md_target").or_else(|| m.name("html_target"))) else {
            continue;
        };
        let target = target.as_str().trim();
        let target = target.split_once(char::is_whitespace).map_or(target, |(t, _)| t);
        let Some(row) = figures.iter().find(|r| r.target.trim() == target) else { continue };
        parts.push(maud::html! { (markdown[rest..whole.start()]) });
        parts.push(figure_markup(id, row));
        rest = whole.end();
    }
    maud::html! { @for p in &parts { (p) } (markdown[rest..]) }
}

/// One figure in its place on the page.
pub fn figure_markup(id: &str, row: &FigureRow) -> maud::Markup {
    let size = match (row.width, row.height, row.bytes) {
        (Some(w), Some(h), Some(b)) => format!("{w}×{h}, {}", kilobytes(b)),
        (_, _, Some(b)) => kilobytes(b),
        _ => String::new(),
    };
    maud::html! {
        @match (row.state.as_str(), row.url(id, true), row.url(id, false)) {
            ("ok", Some(shown), Some(full)) => {
                figure class="figure" {
                    a href=(full) { img src=(shown) alt=(row.alt); }
                    figcaption { @if !row.alt.is_empty() { (row.alt) " · " } code { (row.path.as_deref().unwrap_or("")) } " · " (size) }
                }
            }
            ("remote", _, _) => {
                span class="figure-remote" {
                    "[image on the web, not loaded: "
                    a href=(row.target) rel="noreferrer noopener nofollow" { (if row.alt.is_empty() { &row.target } else { &row.alt }) }
                    "]"
                }
            }
            ("embedded", _, _) => span class="figure-refused" { "[an image embedded in the report (data:), not shown]" },
            _ => span class="figure-refused" { "[figure not shown: " (row.reason.as_deref().unwrap_or(&row.target)) "]" },
        }
    }
}

fn kilobytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A markdown image `![alt](target "title")` or an HTML `<img ... src="target" ...>`.
fn image_pattern() -> &'static regex::Regex {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        regex::Regex::new(
            r#"!\[[^\]]*\]\((?P<md_target>[^)]*)\)|<img\b[^>]*?\bsrc\s*=\s*["']?(?P<html_target>[^"'\s>]+)[^>]*>"#,
        )
        .expect("a valid pattern")
    })
}
