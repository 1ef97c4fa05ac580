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
        for i in 0..df.height() {
            let credits = if cols[8][i] == "-" { "-".to_string() } else { format!("{} {}", cols[8][i], cols[9][i]) };
            t.rows.push(vec![
                cols[0][i].clone(),
                cols[1][i].clone(),
                cols[2][i].clone(),
                cols[3][i].clone(),
                cols[4][i].clone(),
                cols[5][i].clone(),
                cols[6][i].clone(),
                cols[7][i].clone(),
                credits,
                format!("{}/{}", cols[10][i], cols[11][i]),
                format!("{}/{}", cols[12][i], cols[13][i]),
                cols[14][i].clone(),
            ]);
        }
        t.print(&mut out)?;
        writeln!(out, "{} reports", df.height())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
