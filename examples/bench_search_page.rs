//! What a search page costs inside one process: a page of hits and the facets of the whole result, as two passes
//! over the matching answers (`search_from`, then `facets`) and as one (`search_page`), interleaved query by query
//! so that a busy machine slows both alike. Prints one JSON object (milliseconds per page, p50 and p99).
//!
//! ```sh
//! cargo run --release --example bench_search_page -- INDEX QUERIES.txt [ROUNDS]
//! ```

use cohort::store::text_index::SearchRequest;
use cohort::Index;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: bench_search_page INDEX QUERIES [ROUNDS]";
    let index = std::env::args().nth(1).ok_or(usage)?;
    let queries = std::fs::read_to_string(std::env::args().nth(2).ok_or(usage)?)?;
    let rounds: usize = std::env::args().nth(3).map_or(Ok(5), |s| s.parse())?;
    let opened = Index::open(index)?.searcher()?;
    let queries: Vec<&str> = queries.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let (mut two, mut one) = (Vec::new(), Vec::new());
    // The facet table is read once, on first use: not part of any page.
    opened.facets(&SearchRequest { query: "x".into(), limit: 20, ..Default::default() })?;
    for _ in 0..rounds {
        for q in &queries {
            let req = SearchRequest { query: q.to_string(), limit: 20, ..Default::default() };
            let t = Instant::now();
            let (hits, facets) = (opened.search_from(&req, 0)?, opened.facets(&req)?);
            two.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let (page, page_facets) = opened.search_page(&req, 0)?;
            one.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!((hits, facets), (page, page_facets), "{q}: the same page either way");
        }
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        serde_json::json!({"mean_ms": v.iter().sum::<f64>() / v.len() as f64, "p50_ms": pct(0.5), "p99_ms": pct(0.99)})
    };
    println!(
        "{}",
        serde_json::json!({"queries": queries.len(), "rounds": rounds,
            "two_passes": stats(&mut two), "one_pass": stats(&mut one)})
    );
    Ok(())
}
