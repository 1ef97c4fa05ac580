//! Lines that may hold a credential are never printed. A matching line is shown only after this check; one that
//! looks like a key, token or password (an assignment to a secret-sounding name, a known token shape, a private
//! key block, a long random-looking string, or a redaction marker) is withheld whole.

use regex::Regex;
use std::sync::OnceLock;

/// What is printed instead of a withheld line.
pub const WITHHELD: &str = "[line withheld: it may hold a credential]";

fn patterns() -> &'static [Regex] {
    static P: OnceLock<Vec<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        [
            // name = value / name: value, where the name sounds secret
            r#"(?i)(api[_-]?key|apikey|secret|token|passw(or)?d|passwd|credential|private[_-]?key|access[_-]?key|auth)[A-Za-z0-9_\-]*["']?\s*[:=]"#,
            r"(?i)(wandb|kaggle|hf|huggingface|openai|github|gh|aws|gcp|google)[_-]?(key|token)",
            r"-----BEGIN [A-Z ]*PRIVATE KEY",
            r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
            r"\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}",
            r"\bhf_[A-Za-z0-9]{20,}",
            r"\bsk-[A-Za-z0-9_\-]{20,}",
            r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
            r"AIza[0-9A-Za-z_\-]{30,}",
            r"(?i)REDACTED",
            r"://[^/\s:@]+:[^/\s@]+@",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// What a key inside a name (a route path, a branch or an author name) is replaced with.
pub const KEY_WITHHELD: &str = "[key withheld]";

/// Known token shapes, found inside a longer text.
fn token_shapes() -> &'static [Regex] {
    static P: OnceLock<Vec<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        [
            r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
            r"\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}",
            r"\bhf_[A-Za-z0-9]{20,}",
            r"\bsk-[A-Za-z0-9_\-]{20,}",
            r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
            r"AIza[0-9A-Za-z_\-]{30,}",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// A name as it may be printed and stored: every key-shaped run in it (a known token shape, or a long
/// random-looking run as [`looks_like_credential`] sees one) replaced by [`KEY_WITHHELD`], the rest kept, so
/// `/monitoring/<key>` reads `/monitoring/[key withheld]`. For text that is not a line of code: a route path
/// from the code, a branch name, an author's name, a note quoting them.
pub fn withhold_keys(text: &str) -> std::borrow::Cow<'_, str> {
    let mut spans: Vec<(usize, usize)> =
        token_shapes().iter().flat_map(|p| p.find_iter(text).map(|m| (m.start(), m.end()))).collect();
    if let Some(run) = key_run() {
        spans.extend(run.find_iter(text).filter(|m| random_run(m.as_str())).map(|m| {
            let (start, end) = key_within(m.as_str());
            (m.start() + start, m.start() + end)
        }));
    }
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if start >= at {
            out.push_str(&text[at..start]);
            out.push_str(KEY_WITHHELD);
            at = end;
        } else if end > at {
            at = end;
        }
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// The key inside a random-looking run: words of letters joined to it by `-`, `/` or `_` (`wandb-<key>`,
/// `feature/<key>-onnx`) are kept as long as what is left still looks random.
fn key_within(run: &str) -> (usize, usize) {
    let word = |w: &str| w.bytes().all(|b| b.is_ascii_alphabetic());
    let is_key = |t: &str| t.len() >= 32 && random_run(t);
    let (mut start, mut end) = (0, run.len());
    while let Some(i) = run[start..end].find(['-', '/', '_']) {
        let rest = &run[start + i + 1..end];
        if !word(&run[start..start + i]) || !is_key(rest) {
            break;
        }
        start += i + 1;
    }
    while let Some(i) = run[start..end].rfind(['-', '/', '_']) {
        let rest = &run[start..start + i];
        if !word(&run[start + i + 1..end]) || !is_key(rest) {
            break;
        }
        end = start + i;
    }
    (start, end)
}

fn key_run() -> Option<&'static Regex> {
    static RUN: OnceLock<Option<Regex>> = OnceLock::new();
    RUN.get_or_init(|| Regex::new(r"[A-Za-z0-9+/_\-]{32,}={0,2}").ok()).as_ref()
}

/// Whether a run of key characters looks random: digits in it, and hex, or mixed case, or mostly digits.
fn random_run(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let hex = t.bytes().all(|b| b.is_ascii_hexdigit());
    digits >= 3
        && (hex
            || (t.bytes().any(|b| b.is_ascii_uppercase()) && t.bytes().any(|b| b.is_ascii_lowercase()))
            || digits * 4 >= t.len())
}

/// A long unbroken run of key characters with digits in it (hex or base64 keys look like this; identifiers such
/// as `test_processed_train_split_is_normalized` have no digits and are not withheld).
fn random_looking(line: &str) -> bool {
    let Some(run) = key_run() else { return true };
    run.find_iter(line).any(|m| random_run(m.as_str()))
}

/// Whether a line could hold a credential.
pub fn looks_like_credential(line: &str) -> bool {
    random_looking(line) || patterns().iter().any(|p| p.is_match(line))
}

/// The line as it may be printed: trimmed, cut to 160 characters, or withheld.
pub fn printable(line: &str) -> String {
    let t = line.trim();
    if looks_like_credential(t) {
        return WITHHELD.to_string();
    }
    let cut: String = t.chars().take(160).collect();
    if cut.len() < t.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_withheld_and_code_is_not() {
        for secret in [
            "WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567",
            "wandb.login(key=\"a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2\")",
            "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\"",
            "password = hunter2",
            "os.environ['KAGGLE_KEY'] = 'REDACTED'",
            "url = 'https://bob:pw@example.org/x.git'",
            "KEY = \"AbCdEf0123456789GhIjKlMnOpQrStUvWx4567\"",
            "wandb.login(\"0123456789abcdef0123456789abcdef01234567\")",
        ] {
            assert_eq!(printable(secret), WITHHELD, "{secret}");
        }
        for code in [
            "def test_processed_train_split_is_normalized(batch):",
            "import wandb",
            "from fastapi import FastAPI",
            "      - run: pytest tests/",
            "remote = gs://bucket/data",
        ] {
            assert_eq!(printable(code), code.trim(), "{code}");
        }
    }

    #[test]
    fn keys_inside_names_are_withheld_and_the_rest_kept() {
        let key = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(withhold_keys(&format!("route /monitoring/{key}")), "route /monitoring/[key withheld]");
        assert_eq!(withhold_keys(&format!("wandb-{key}")), "wandb-[key withheld]");
        assert_eq!(withhold_keys(&format!("feature/{key}-onnx")), "feature/[key withheld]-onnx");
        assert_eq!(withhold_keys("Eve ghp_abcdefghijklmnopqrstuvwxyz0123456789 x"), "Eve [key withheld] x");
        for name in
            ["feature/onnx-export", "s216666/jane-doe-onnx", "Jane Doe", "route /monitoring", "commit 42ec1853945c"]
        {
            assert_eq!(withhold_keys(name), name);
        }
    }
}
