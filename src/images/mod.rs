//! The figures of a report: where an image an answer shows lives ([`target`]), what kind of image a file is by
//! its bytes ([`sniff`]), reading it from the report's folder and nowhere else ([`folder`]) and its fingerprints
//! ([`mod@fingerprint`]). Figures copied between reports are found by [`crate::dupes::figures`].
//!
//! This knows nothing of tantivy, polars or the terminal: ingest stores what it returns in the `figures` frame,
//! `cohort dupes --figures` and `check`'s `copied-figure` compare it, and `cohort serve` serves the files it
//! allows.

pub mod fingerprint;
pub mod folder;
pub mod sniff;
pub mod target;

use crate::domain::Report;
use fingerprint::{fingerprint, Fingerprint};
use folder::{read_figure, FigureRead, MAX_FIGURE_BYTES};
use sniff::{svg_is_inert, ImageKind};
use std::collections::HashMap;
use std::path::Path;

/// One image an answer of a report shows, and what reading it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFigure {
    /// The answer's question key (`extra` for a question that is not the template's).
    pub question: String,
    /// 1-based line of the image in the report.
    pub line: usize,
    /// The target as written.
    pub target: String,
    pub alt: String,
    pub state: FigureState,
}

/// What reading an image of a report gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureState {
    /// Read from the report's folder: its path there and its fingerprint.
    Read { path: String, print: Fingerprint },
    /// A web address, never fetched.
    Remote,
    /// A `data:` URI.
    Embedded,
    /// Not read, and why (the broken-image finding's words).
    Refused(String),
}

impl FigureState {
    /// `ok`, `remote`, `embedded` or `refused`: the frame's `state` column.
    pub fn name(&self) -> &'static str {
        match self {
            FigureState::Read { .. } => "ok",
            FigureState::Remote => "remote",
            FigureState::Embedded => "embedded",
            FigureState::Refused(_) => "refused",
        }
    }
}

/// Reads and fingerprints every image the answers of `report` show, from `folder` (the report's own folder) only.
/// A file shown twice is read once.
pub fn report_figures(report: &Report, folder: &Path) -> Vec<ReportFigure> {
    let mut seen: HashMap<String, FigureState> = HashMap::new();
    let mut out = Vec::new();
    for answer in &report.answers {
        let question = answer.key.map_or("extra", |k| k.as_str()).to_string();
        for image in &answer.images {
            let state = seen
                .entry(image.target.clone())
                .or_insert_with(|| match read_figure(folder, &image.target, MAX_FIGURE_BYTES) {
                    FigureRead::File { kind: ImageKind::Svg, bytes, .. } if !svg_is_inert(&bytes) => {
                        FigureState::Refused(format!(
                            "{} is an SVG holding a script or an event handler; not shown",
                            image.target
                        ))
                    }
                    FigureRead::File { inside, bytes, .. } => match fingerprint(&bytes) {
                        Some(print) => FigureState::Read { path: inside.to_string_lossy().replace('\\', "/"), print },
                        None => FigureState::Refused(format!("{} is not an image by its content", image.target)),
                    },
                    FigureRead::Remote(_) => FigureState::Remote,
                    FigureRead::Embedded => FigureState::Embedded,
                    FigureRead::Refused(reason) => FigureState::Refused(reason),
                })
                .clone();
            out.push(ReportFigure {
                question: question.clone(),
                line: image.line,
                target: image.target.clone(),
                alt: image.alt.clone(),
                state,
            });
        }
    }
    out
}
