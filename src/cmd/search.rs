//! `cohort search QUERY [--question KEY] [--cohort LABEL] [--group N] [--limit N] [--json]`

use crate::domain::AnswerKey;
use crate::present::text::printable;
use crate::store::text_index::{search, SearchRequest};
use crate::store::IndexDir;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Words to find (all are required), "quoted phrases" for exact phrases, OR between alternatives.
    pub query: String,
    /// Only answers to this question (canonical key, e.g. api_testing, deploy, credits).
    #[arg(long, value_name = "KEY")]
    pub question: Option<String>,
    /// Only this cohort.
    #[arg(long)]
    pub cohort: Option<String>,
    /// Only this group.
    #[arg(long)]
    pub group: Option<u32>,
    /// At most this many answers.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON object per hit (JSON Lines).
    #[arg(long)]
    pub json: bool,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(q) = &args.question {
        if q != "extra" && AnswerKey::from_name(q).is_none() {
            let keys: Vec<&str> = AnswerKey::ALL.iter().map(|k| k.as_str()).collect();
            anyhow::bail!("unknown question key {q:?}; one of: {}", keys.join(", "));
        }
    }
    let generation = IndexDir::new(&args.index).require_current()?;
    let req = SearchRequest {
        query: args.query.clone(),
        question: args.question.clone(),
        cohort: args.cohort.clone(),
        group: args.group,
        limit: args.limit,
    };
    let hits = search(&generation.tantivy_dir(), &req)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for h in &hits {
            serde_json::to_writer(&mut out, h)?;
            writeln!(out)?;
        }
    } else if hits.is_empty() {
        writeln!(out, "no answers match {:?}", args.query)?;
    } else {
        for h in &hits {
            let group = h.group.map_or_else(|| "group ?".to_string(), |g| format!("group {g}"));
            writeln!(out, "{group}  {}  [{}]  {}  score {:.2}", printable(&h.id), printable(&h.cohort), h.question, h.score)?;
            writeln!(out, "    {}", printable(&h.snippet))?;
        }
        writeln!(out, "{} answers", hits.len())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
