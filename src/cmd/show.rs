//! `cohort show GROUP [--cohort LABEL] [--explain]`: one group's whole profile: members, facts (each with the
//! sentence it was read from), ticks, answers, warnings; with `--explain`, every candidate behind each fact.

use crate::present::table::cell;
use crate::store::frames::{self, ANSWERS, CHECKLIST, REPORTS};
use crate::store::IndexDir;
use polars::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Group number, or a report id (as `cohort reports` lists them).
    pub group: String,
    /// Only the report of this cohort (when the group number exists in several).
    #[arg(long)]
    pub cohort: Option<String>,
    /// List every candidate number behind each fact and why it won or lost.
    #[arg(long)]
    pub explain: bool,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

fn strings(df: &DataFrame, name: &str) -> anyhow::Result<Vec<String>> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.unwrap_or("").to_string()).collect())
}

fn values(df: &DataFrame, name: &str) -> anyhow::Result<Vec<String>> {
    let c = df.column(name)?;
    Ok((0..df.height()).map(|i| c.get(i).map_or_else(|_| "-".to_string(), |v| cell(&v))).collect())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let generation = IndexDir::new(&args.index).require_current()?;
    let reports = frames::read(&generation, REPORTS)?;
    let mut filter = match args.group.parse::<u32>() {
        Ok(g) => col("group").eq(lit(g)),
        Err(_) => col("id").eq(lit(args.group.clone())),
    };
    if let Some(c) = &args.cohort {
        filter = filter.and(col("cohort").eq(lit(c.clone())));
    }
    let found = reports.lazy().filter(filter).sort(["cohort"], Default::default()).collect()?;
    if found.height() == 0 {
        eprintln!("cohort: no report for {:?} in {} (see `cohort reports`)", args.group, args.index.display());
        return Ok(ExitCode::from(1));
    }
    let checklist = frames::read(&generation, CHECKLIST)?;
    let answers = frames::read(&generation, ANSWERS)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for summary in strings(&found, "summary")? {
        let s: serde_json::Value = serde_json::from_str(&summary)?;
        let id = s["id"].as_str().unwrap_or_default().to_string();
        let text = |v: &serde_json::Value| if v.is_null() { "-".to_string() } else { v.to_string().trim_matches('"').to_string() };
        writeln!(out, "# {}  (group {}, cohort {})", id, text(&s["group"]), text(&s["cohort"]))?;
        writeln!(out, "file:      {}", text(&s["path"]))?;
        writeln!(out, "template:  {} questions, checklist {}", text(&s["template"]).trim_end_matches('q'), text(&s["checklist_generation"]))?;
        let members: Vec<String> =
            s["students"].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default();
        writeln!(out, "members:   {}", if members.is_empty() { "-".into() } else { members.join(", ") })?;
        writeln!(out, "facts:")?;
        for line in crate::present::provenance::fact_lines(&s) {
            writeln!(out, "{line}")?;
        }
        if args.explain {
            writeln!(out, "\nfacts explained (every candidate):")?;
            let mine = frames::answers_of(&answers, &id)?;
            for line in crate::present::provenance::explanation_lines(&crate::domain::facts::explain_facts(&mine)) {
                writeln!(out, "{line}")?;
            }
        }

        let mine = checklist.clone().lazy().filter(col("id").eq(lit(id.clone()))).sort(["item_order"], Default::default()).collect()?;
        let items = strings(&mine, "item")?;
        let weeks = values(&mine, "week")?;
        let done: Vec<bool> = mine.column("done")?.bool()?.iter().map(|d| d.unwrap_or(false)).collect();
        writeln!(out, "\nchecklist: {}/{} ticked", done.iter().filter(|d| **d).count(), done.len())?;
        let mut week_names: Vec<&String> = weeks.iter().collect();
        week_names.dedup();
        for w in week_names {
            let (yes, no): (Vec<_>, Vec<_>) =
                (0..items.len()).filter(|&i| &weeks[i] == w).partition(|&i| done[i]);
            let list = |v: &[usize]| v.iter().map(|&i| items[i].as_str()).collect::<Vec<_>>().join(", ");
            writeln!(out, "  {w:<6} done:    {}", list(&yes))?;
            if !no.is_empty() {
                writeln!(out, "  {:<6} missing: {}", "", list(&no))?;
            }
        }

        let mine = answers.clone().lazy().filter(col("id").eq(lit(id.clone()))).sort(["line"], Default::default()).collect()?;
        writeln!(out, "\nanswers:")?;
        let qs = strings(&mine, "question")?;
        let nums = values(&mine, "number")?;
        let words = values(&mine, "words")?;
        let images = values(&mine, "images")?;
        let answered: Vec<bool> = mine.column("answered")?.bool()?.iter().map(|d| d.unwrap_or(false)).collect();
        for i in 0..qs.len() {
            let state = if answered[i] { "" } else { "  (unanswered)" };
            let imgs = if images[i] != "0" { format!(", {} images", images[i]) } else { String::new() };
            writeln!(out, "  Q{:<3} {:<16} {:>4} words{imgs}{state}", nums[i], qs[i], words[i])?;
        }
        let warnings = s["warnings"].as_array().cloned().unwrap_or_default();
        writeln!(out, "\nwarnings: {}", warnings.len())?;
        for w in warnings {
            writeln!(out, "  {}", w.as_str().unwrap_or_default())?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
