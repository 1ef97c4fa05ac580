//! Search latency inside one process (the index opened once, as a notebook or server would): p50/p99 over a list
//! of queries, each run several times. Used by `bench/run.sh`; prints one JSON object.
//!
//! ```sh
//! cargo run --release --example bench_search -- INDEX QUERIES.txt [ROUNDS]
//! ```

use cohort::store::text_index::SearchRequest;
use cohort::Index;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let index = std::env::args().nth(1).ok_or("usage: bench_search INDEX QUERIES [ROUNDS]")?;
    let queries =
        std::fs::read_to_string(std::env::args().nth(2).ok_or("usage: bench_search INDEX QUERIES [ROUNDS]")?)?;
    let rounds: usize = std::env::args().nth(3).map_or(Ok(5), |s| s.parse())?;
    let opened = Index::open(index)?.searcher()?;
    let queries: Vec<&str> = queries.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let mut times = Vec::new();
    let mut hits = 0;
    for _ in 0..rounds {
        for q in &queries {
            let req = SearchRequest { query: q.to_string(), limit: 20, ..Default::default() };
            let t = Instant::now();
            hits += opened.search(&req)?.hits.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{}",
        serde_json::json!({"queries": queries.len(), "rounds": rounds, "hits": hits,
            "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": pct(1.0)})
    );
    Ok(())
}
