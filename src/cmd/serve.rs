//! `cohort serve [--index DIR] [--host 127.0.0.1] [--port 8080] [--token-file FILE | --token T] [--allow-host
//! NAME]`: read-only pages over an index (the pages are [`cohort::serve`]).

use super::IndexArg;
use anyhow::Context;
use cohort::serve::guard::generate_token;
use cohort::serve::{serve, ServeOptions};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The environment variable a token may come from (not visible in `ps`, unlike an argument).
pub const TOKEN_ENV: &str = "COHORT_SERVE_TOKEN";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Pages: / (search), /stats, /group/ID, /dupes, /pair?a=ID&b=ID, /findings; each has a .json \
twin, and each table of /stats a CSV (/stats/NAME.csv). Read-only: nothing is written to the index. Any --host other than a loopback address needs a token: \
from --token-file FILE (its first line) or the environment variable COHORT_SERVE_TOKEN, which other users of the \
machine cannot read, or --token generate to have one made and printed once (--token T works too, but any user \
of the machine sees it in `ps`). On 0.0.0.0 or :: the server answers to this machine's addresses and host name; \
--allow-host NAME adds the name other machines reach it by.")]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Address to listen on. Only loopback addresses (127.0.0.1, ::1) serve without a token.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Required on every request (`generate`: make one and print it once). Visible in `ps`: prefer --token-file.
    #[arg(long, value_name = "T", conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the token from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Another name the server is reached by (a DNS name of this machine); repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let from_file = match &args.token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
        ),
        None => None,
    };
    let given = args.token.clone().or(from_file).or_else(|| std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty()));
    let generated = given.as_deref() == Some("generate");
    let token = match given.as_deref() {
        Some("generate") => Some(generate_token()?),
        Some(t) if t.len() < 16 => anyhow::bail!("the token must be at least 16 characters (or `--token generate`)"),
        t => t.map(str::to_string),
    };
    let opts =
        ServeOptions { index: args.index.index, host: args.host, port: args.port, token, allow_hosts: args.allow_host };
    let printed = opts.token.clone();
    serve(&opts, |addr| {
        let host = if addr.ip().is_loopback() && addr.is_ipv4() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        match &printed {
            Some(t) if generated => {
                println!("cohort serve: http://{host}/?token={t}  (the token is printed only here)")
            }
            Some(_) => println!("cohort serve: http://{host}/  (open it once with ?token=YOUR-TOKEN; Ctrl-C stops it)"),
            None => println!("cohort serve: http://{host}/  (Ctrl-C stops it)"),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
