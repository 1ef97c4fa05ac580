//! Errors are thiserror enums, each saying what it is about (the file, the index) and naming its cause as its
//! `source`, never also in its own message; a message for people joins the chain.

/// An error and its causes, as one line: "outer: inner: cause".
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::ingest::IngestError;
    use crate::store::StoreError;
    use std::path::PathBuf;

    #[test]
    fn causes_are_chained_once() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let e = IngestError::from(StoreError::Io { path: PathBuf::from("index/CURRENT"), source: io });
        assert_eq!(super::chain(&e), "index/CURRENT: denied");
    }
}
