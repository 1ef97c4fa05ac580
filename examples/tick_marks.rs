//! Every checklist mark in a folder of reports that is not a plain `[x]`, `[X]`, `[ ]` or an emoji tick, with the
//! state it was read as (issue 16): one row per report, mark and state, with the items.
//!
//! ```sh
//! cargo run --release --example tick_marks -- ../shared/corpus
//! ```

use cohort::discover::{discover, Limits};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: tick_marks FOLDER");
        std::process::exit(2);
    };
    let (found, _) = discover(&[folder], Limits::default());
    let plain = |m: &str| matches!(m, "x" | "X" | " " | "") || !m.is_ascii() && m.chars().count() <= 2;
    let mut rows: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for f in &found {
        for item in &f.report.checklist {
            let partial_text = item.state.as_str() == "partial" && plain(&item.mark);
            if plain(&item.mark) && !partial_text {
                continue;
            }
            let mark =
                if partial_text { format!("[{}] + words after it", item.mark) } else { format!("[{}]", item.mark) };
            let what = item.id.map_or_else(|| "?".to_string(), |id| id.as_str().to_string());
            rows.entry((f.id.clone(), mark, item.state.as_str().to_string())).or_default().push(what);
        }
    }
    println!("| report | mark | state | items |");
    println!("|---|---|---|---|");
    for ((id, mark, state), items) in rows {
        println!("| {id} | `{mark}` | {state} | {} ({}) |", items.len(), items.join(", "));
    }
}
