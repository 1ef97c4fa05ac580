//! What kind of image a file is, told by its first bytes, never by its name: a report is untrusted input, and an
//! HTML page named `chart.png` must not be served (or decoded) as an image.

/// The image kinds cohort reads and serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    WebP,
    /// SVG is text that may hold scripts: served only as an image under a sandboxing policy, never decoded.
    Svg,
}

impl ImageKind {
    /// The `Content-Type` a server sends for it.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::WebP => "image/webp",
            ImageKind::Svg => "image/svg+xml",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpeg",
            ImageKind::Gif => "gif",
            ImageKind::WebP => "webp",
            ImageKind::Svg => "svg",
        }
    }

    /// Whether cohort decodes it to pixels (and so fingerprints it perceptually). GIF is recognised and served but
    /// not decoded (its decoder would be one more dependency for the rare animated figure): it is compared by
    /// content only, as SVG is.
    pub fn decodable(self) -> bool {
        matches!(self, ImageKind::Png | ImageKind::Jpeg | ImageKind::WebP)
    }
}

/// The kind of image `bytes` hold, from their signature; `None` when they are no image cohort knows (HTML, text,
/// a PDF, an empty file, ...).
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(ImageKind::Gif);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageKind::WebP);
    }
    if looks_like_svg(bytes) {
        return Some(ImageKind::Svg);
    }
    None
}

/// An XML document whose root element is `<svg`: leading byte-order mark, whitespace, an XML declaration,
/// comments and a doctype may come first. Only the first 4 KB are looked at.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let Ok(text) = std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()])) else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else if rest.get(..9).is_some_and(|h| h.eq_ignore_ascii_case("<!doctype")) {
            match rest.find('>') {
                Some(end) => rest = rest[end + 1..].trim_start(),
                None => return false,
            }
        } else {
            let lower: String = rest.chars().take(5).collect::<String>().to_ascii_lowercase();
            return lower.starts_with("<svg") && rest[4..].starts_with(|c: char| c.is_whitespace() || c == '>');
        }
    }
}

/// Whether an SVG holds nothing that could run: no `<script`, no event handler attribute (`onload=`, ...), no
/// `javascript:` URL, no `<foreignObject>` (HTML inside), compared without case. Browsers run none of these in an
/// `<img>`, but opened on its own an SVG is a document; cohort serves only SVGs that are pictures.
pub fn svg_is_inert(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let handler = text.match_indices("on").any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let rest = &text[i + 2..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        before.is_some_and(|c| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            && name_len > 0
            && rest[name_len..].trim_start().starts_with('=')
    });
    !(handler || text.contains("<script") || text.contains("javascript:") || text.contains("<foreignobject"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(ImageKind::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\x00"), Some(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(ImageKind::WebP));
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"), Some(ImageKind::Svg));
        assert_eq!(
            sniff(b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg>\n<SVG>"),
            Some(ImageKind::Svg)
        );
        // An HTML page named .png, text, a PDF, nothing: no image.
        assert_eq!(sniff(b"<!DOCTYPE html><html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"<svgx>"), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"<?xml version='1.0'"), None);
    }

    #[test]
    fn svgs_that_could_run_something_are_told_apart() {
        assert!(svg_is_inert(
            b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='10' height='10' fill='red'/></svg>"
        ));
        assert!(svg_is_inert(b"<svg><text>one online monitor</text></svg>"), "'on' inside words is no handler");
        for hostile in [
            &b"<svg><script>alert(1)</script></svg>"[..],
            b"<svg onload=\"alert(1)\"></svg>",
            b"<svg><rect ONCLICK = 'x()'/></svg>",
            b"<svg><a href='javascript:alert(1)'><text>x</text></a></svg>",
            b"<svg><foreignObject><body>html</body></foreignObject></svg>",
        ] {
            assert!(!svg_is_inert(hostile), "{}", String::from_utf8_lossy(hostile));
        }
    }
}
