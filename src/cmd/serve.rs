//! `cohort serve [--index DIR] [--host 127.0.0.1] [--port 8080] [--token T]`: read-only pages over an index
//! (the pages are [`cohort::serve`]).

use super::IndexArg;
use cohort::serve::guard::generate_token;
use cohort::serve::{serve, ServeOptions};
use std::net::IpAddr;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Pages: / (search), /stats, /group/ID, /dupes, /pair?a=ID&b=ID, /findings; each has a .json \
twin, and each table of /stats a CSV (/stats/NAME.csv). Read-only: nothing is written to the index. Any --host other than a loopback address needs a token: give one \
with --token, or --token generate to have one made and printed once.")]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Address to listen on. Only loopback addresses (127.0.0.1, ::1) serve without a token.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Required on every request (`generate`: make one and print it once).
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let token = match args.token.as_deref() {
        Some("generate") => Some(generate_token()?),
        Some(t) if t.len() < 16 => anyhow::bail!("--token must be at least 16 characters (or `--token generate`)"),
        t => t.map(str::to_string),
    };
    let opts = ServeOptions { index: args.index.index, host: args.host, port: args.port, token };
    let printed = opts.token.clone();
    serve(&opts, |addr| {
        let host = if addr.ip().is_loopback() && addr.is_ipv4() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        match &printed {
            Some(t) => println!("cohort serve: http://{host}/?token={t}  (the token is printed only here)"),
            None => println!("cohort serve: http://{host}/  (Ctrl-C stops it)"),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
