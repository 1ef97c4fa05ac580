//! Parse throughput beside pulldown-cmark's raw event throughput on the same bytes (the practical limit).
//! Used by `bench/run.sh`; prints one JSON object.
//!
//! ```sh
//! cargo run --release --example bench_parse -- DIR [RUNS]
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push((path.clone(), std::fs::read(&path)?));
        }
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: bench_parse DIR [RUNS]")?);
    let runs: usize = std::env::args().nth(2).map_or(Ok(5), |s| s.parse())?;
    let mut files = Vec::new();
    collect(&dir, &mut files)?;
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let texts: Vec<String> = files.iter().map(|(_, b)| String::from_utf8_lossy(b).into_owned()).collect();
    let (mut raw, mut ours) = (Vec::new(), Vec::new());
    let mut events = 0usize;
    let mut answers = 0usize;
    for _ in 0..runs {
        let t = Instant::now();
        events = 0;
        for text in &texts {
            let opts = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
            events += pulldown_cmark::Parser::new_ext(text, opts).into_offset_iter().count();
        }
        raw.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        answers = 0;
        for (path, b) in &files {
            if let Ok(r) = cohort::parse_bytes(path, b) {
                answers += r.answers.len();
            }
        }
        ours.push(t.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    let (spread_raw, spread_ours) = (
        raw.iter().cloned().fold(f64::MIN, f64::max) - raw.iter().cloned().fold(f64::MAX, f64::min),
        ours.iter().cloned().fold(f64::MIN, f64::max) - ours.iter().cloned().fold(f64::MAX, f64::min),
    );
    let (m_raw, m_ours) = (median(&mut raw), median(&mut ours));
    println!(
        "{}",
        serde_json::json!({
            "files": files.len(), "megabytes": mb, "runs": runs, "events": events, "answers": answers,
            "pulldown_s": m_raw, "pulldown_spread_s": spread_raw, "pulldown_mb_s": mb / m_raw,
            "cohort_s": m_ours, "cohort_spread_s": spread_ours, "cohort_mb_s": mb / m_ours,
            "cohort_reports_s": files.len() as f64 / m_ours, "ratio": (mb / m_ours) / (mb / m_raw),
        })
    );
    Ok(())
}
