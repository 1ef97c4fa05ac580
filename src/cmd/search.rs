//! `cohort search QUERY [--question KEY] [--cohort LABEL] [--group N] [--limit N] [--json]`

use super::IndexArg;
use cohort::index::check_question;
use cohort::present::listing::write_hits;
use cohort::present::output::{stdout, Format};
use cohort::query::DEFAULT_SEARCH_LIMIT;
use cohort::store::text_index::SearchRequest;
use cohort::Index;
use std::io::Write;
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
    #[arg(long, default_value_t = DEFAULT_SEARCH_LIMIT)]
    pub limit: usize,
    /// One JSON object per hit (JSON Lines).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let req = SearchRequest {
        query: args.query,
        question: args.question,
        cohort: args.cohort,
        group: args.group,
        limit: args.limit,
    };
    // A wrong key is said before a missing index.
    check_question(req.question.as_deref())?;
    let hits = Index::open(&args.index.index)?.search(&req)?;
    let mut out = stdout();
    write_hits(&mut out, &req.query, &hits, if args.json { Format::JsonLines } else { Format::Table })?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
