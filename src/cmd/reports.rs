//! `cohort reports [--json]`: what is in the index.

use crate::present::table::{cell, Table};
use crate::store::frames::{self, REPORTS};
use crate::store::IndexDir;
use polars::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The same JSON objects as `cohort parse --json`, one per line.
    #[arg(long)]
    pub json: bool,
    /// Only this cohort.
    #[arg(long)]
    pub cohort: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let generation = IndexDir::new(&args.index).require_current()?;
    let mut df = frames::read(&generation, REPORTS)?;
    if let Some(c) = &args.cohort {
        df = df.lazy().filter(col("cohort").eq(lit(c.clone()))).collect()?;
    }
    let df = df.sort(["cohort", "group", "id"], SortMultipleOptions::default().with_nulls_last(true))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for s in df.column("summary")?.str()?.iter().flatten() {
            writeln!(out, "{s}")?;
        }
    } else {
        let mut t = Table::new(&[
            "id", "cohort", "template", "checklist", "group", "students", "tests", "coverage", "credits", "ticked",
            "answered", "warnings",
        ]);
        t.numeric = vec![false, false, false, false, true, true, true, true, true, true, true, true];
        let s = |name: &str| -> anyhow::Result<Vec<String>> {
            let c = df.column(name)?;
            Ok((0..df.height()).map(|i| c.get(i).map_or_else(|_| "-".to_string(), |v| cell(&v))).collect())
        };
        let cols: Vec<Vec<String>> = [
            "id", "cohort", "template", "generation", "group", "n_students", "tests", "coverage", "credits_amount",
            "credits_unit", "ticked", "items", "answered", "questions", "warnings",
        ]
        .iter()
        .map(|c| s(c))
        .collect::<anyhow::Result<_>>()?;
        // Row by row: the frame is read column by column above.
        let rows = (0..df.height()).map(|i| cols.iter().map(|c| c[i].clone()).collect::<Vec<_>>());
        for r in rows {
            let credits = if r[8] == "-" { "-".to_string() } else { format!("{} {}", r[8], r[9]) };
            t.rows.push(vec![
                r[0].clone(),
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
                r[6].clone(),
                r[7].clone(),
                credits,
                format!("{}/{}", r[10], r[11]),
                format!("{}/{}", r[12], r[13]),
                r[14].clone(),
            ]);
        }
        t.print(&mut out)?;
        writeln!(out, "{} reports", df.height())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
