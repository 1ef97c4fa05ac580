//! The `figures` frame (`figures.parquet`): one row per image an answer shows, with what reading it gave and,
//! for a file read from the report's folder, its fingerprints. Ingest writes it; `cohort dupes --figures`,
//! `check`'s copied-figure rule and the group page read it.

use crate::dupes::figures::FigureMark;
use crate::images::fingerprint::Hashes;
use crate::images::{FigureState, ReportFigure};
use polars::prelude::*;

/// The frame's name (`figures.parquet`).
pub const FIGURES: &str = "figures";

/// The frame of the figures of some reports: columns `id`, `question`, `line`, `target`, `alt`, `state` (`ok`,
/// `remote`, `embedded`, `refused`), `reason` (why a refused one was not read), `path` (inside the report's
/// folder), `kind`, `content` (blake3 of the bytes), `bytes`, `width`, `height`, and the perceptual hashes
/// ([`crate::images::fingerprint::Hashes`]) as 16 hex digits, as Python's `imagehash` prints them: `phash`,
/// `dhash` (the whole picture), `phash_inner`, `dhash_inner` (without its uniform frame).
pub fn figures_frame<'a>(reports: impl IntoIterator<Item = (&'a str, &'a [ReportFigure])>) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &ReportFigure)> =
        reports.into_iter().flat_map(|(id, figures)| figures.iter().map(move |f| (id, f))).collect();
    let print = |f: &ReportFigure| match &f.state {
        FigureState::Read { print, .. } => Some(print.clone()),
        _ => None,
    };
    let prints: Vec<_> = rows.iter().map(|(_, f)| print(f)).collect();
    let hex = |h: Option<u64>| h.map(|h| format!("{h:016x}"));
    let hashes = |p: &Option<crate::images::fingerprint::Fingerprint>| p.as_ref().and_then(|p| p.hashes);
    df!(
        "id" => rows.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "question" => rows.iter().map(|(_, f)| f.question.as_str()).collect::<Vec<_>>(),
        "line" => rows.iter().map(|(_, f)| f.line as u32).collect::<Vec<_>>(),
        "target" => rows.iter().map(|(_, f)| f.target.as_str()).collect::<Vec<_>>(),
        "alt" => rows.iter().map(|(_, f)| f.alt.as_str()).collect::<Vec<_>>(),
        "state" => rows.iter().map(|(_, f)| f.state.name()).collect::<Vec<_>>(),
        "reason" => rows.iter().map(|(_, f)| match &f.state {
            FigureState::Refused(r) => Some(r.as_str()),
            _ => None,
        }).collect::<Vec<_>>(),
        "path" => rows.iter().map(|(_, f)| match &f.state {
            FigureState::Read { path, .. } => Some(path.as_str()),
            _ => None,
        }).collect::<Vec<_>>(),
        "kind" => prints.iter().map(|p| p.as_ref().map(|p| p.kind.as_str())).collect::<Vec<_>>(),
        "content" => prints.iter().map(|p| p.as_ref().map(|p| p.content.clone())).collect::<Vec<_>>(),
        "bytes" => prints.iter().map(|p| p.as_ref().map(|p| p.bytes)).collect::<Vec<_>>(),
        "width" => prints.iter().map(|p| p.as_ref().and_then(|p| p.width)).collect::<Vec<_>>(),
        "height" => prints.iter().map(|p| p.as_ref().and_then(|p| p.height)).collect::<Vec<_>>(),
        "phash" => prints.iter().map(|p| hex(hashes(p).map(|h| h.phash))).collect::<Vec<_>>(),
        "dhash" => prints.iter().map(|p| hex(hashes(p).map(|h| h.dhash))).collect::<Vec<_>>(),
        "phash_inner" => prints.iter().map(|p| hex(hashes(p).map(|h| h.phash_inner))).collect::<Vec<_>>(),
        "dhash_inner" => prints.iter().map(|p| hex(hashes(p).map(|h| h.dhash_inner))).collect::<Vec<_>>(),
    )
}

/// One read figure of the frame, as the comparison and the pages use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFigure {
    pub id: String,
    pub question: String,
    pub line: u32,
    pub path: String,
    pub kind: String,
    pub content: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub hashes: Option<Hashes>,
}

/// The figures of the frame that were read (state `ok`), in frame order; a path shown twice by one report is
/// listed once.
pub fn read_figures(df: &DataFrame) -> PolarsResult<Vec<StoredFigure>> {
    let ok = df.clone().lazy().filter(col("state").eq(lit("ok"))).collect()?;
    let id = ok.column("id")?.str()?;
    let question = ok.column("question")?.str()?;
    let line = ok.column("line")?.u32()?;
    let path = ok.column("path")?.str()?;
    let kind = ok.column("kind")?.str()?;
    let content = ok.column("content")?.str()?;
    let bytes = ok.column("bytes")?.u64()?;
    let width = ok.column("width")?.u32()?;
    let height = ok.column("height")?.u32()?;
    let hash_columns =
        ["phash", "dhash", "phash_inner", "dhash_inner"].map(|name| ok.column(name).and_then(|c| c.str().cloned()));
    let [Ok(phash), Ok(dhash), Ok(phash_inner), Ok(dhash_inner)] = hash_columns else {
        return Err(PolarsError::ColumnNotFound("phash, dhash, phash_inner, dhash_inner".into()));
    };
    let hex = |c: &StringChunked, i: usize| c.get(i).and_then(|h| u64::from_str_radix(h, 16).ok());
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for i in 0..ok.height() {
        let (Some(id), Some(path)) = (id.get(i), path.get(i)) else { continue };
        if !seen.insert((id.to_string(), path.to_string())) {
            continue;
        }
        out.push(StoredFigure {
            id: id.to_string(),
            question: question.get(i).unwrap_or("extra").to_string(),
            line: line.get(i).unwrap_or(0),
            path: path.to_string(),
            kind: kind.get(i).unwrap_or("").to_string(),
            content: content.get(i).unwrap_or("").to_string(),
            bytes: bytes.get(i).unwrap_or(0),
            width: width.get(i),
            height: height.get(i),
            hashes: match (hex(&phash, i), hex(&dhash, i), hex(&phash_inner, i), hex(&dhash_inner, i)) {
                (Some(phash), Some(dhash), Some(phash_inner), Some(dhash_inner)) => {
                    Some(Hashes { phash, dhash, phash_inner, dhash_inner })
                }
                _ => None,
            },
        });
    }
    Ok(out)
}

impl StoredFigure {
    /// The comparison's view of it; `report` is its report's index in the reports compared.
    pub fn mark(&self, report: usize) -> FigureMark {
        FigureMark { report, path: self.path.clone(), content: self.content.clone(), hashes: self.hashes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::fingerprint::fingerprint;
    use crate::images::sniff::ImageKind;

    #[test]
    fn rows_round_trip_and_only_read_figures_are_compared() -> PolarsResult<()> {
        let svg = fingerprint(b"<svg xmlns='http://www.w3.org/2000/svg'/>").expect("svg");
        let mut png = svg.clone();
        png.kind = ImageKind::Png;
        let hashes = Hashes { phash: 0x0123_4567_89ab_cdef, dhash: 1, phash_inner: 2, dhash_inner: u64::MAX };
        png.hashes = Some(hashes);
        png.width = Some(10);
        png.height = Some(20);
        let figure = |target: &str, state: FigureState| ReportFigure {
            question: "overview".into(),
            line: 7,
            target: target.into(),
            alt: "the pipeline".into(),
            state,
        };
        let a = vec![
            figure("figs/a.png", FigureState::Read { path: "figs/a.png".into(), print: png.clone() }),
            figure("./figs/a.png", FigureState::Read { path: "figs/a.png".into(), print: png }),
            figure("https://example.org/x.png", FigureState::Remote),
        ];
        let b = vec![figure("../up.png", FigureState::Refused("../up.png leaves the report's folder".into()))];
        let df = figures_frame([("g1", a.as_slice()), ("g2", b.as_slice())])?;
        assert_eq!(df.height(), 4);
        let states: Vec<_> = df.column("state")?.str()?.iter().flatten().collect();
        assert_eq!(states, ["ok", "ok", "remote", "refused"]);
        let read = read_figures(&df)?;
        assert_eq!(read.len(), 1);
        assert_eq!(
            (read[0].id.as_str(), read[0].path.as_str(), read[0].hashes, read[0].width, read[0].height),
            ("g1", "figs/a.png", Some(hashes), Some(10), Some(20))
        );
        assert_eq!(df.column("phash")?.str()?.get(0), Some("0123456789abcdef"));
        assert_eq!(df.column("dhash_inner")?.str()?.get(0), Some("ffffffffffffffff"));
        Ok(())
    }
}
