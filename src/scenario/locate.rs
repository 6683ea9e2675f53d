//! Where a key is in a scenario file: dotted key paths ↔ byte offsets ↔ line numbers.

use std::ops::Range;

use toml_edit::{Document, Item, TableLike};

use super::excerpt::Excerpt;

/// One key of a parsed document, with where it stands.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    start: usize,
    end: usize,
    /// The key's own bytes (for a table, the key in its header).
    key: Option<Range<usize>>,
    /// The value's bytes (none for tables).
    value: Option<Range<usize>>,
}

/// An index of every key in a TOML document, by path and by position.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    entries: Vec<Entry>,
    line_starts: Vec<usize>,
    text: String,
}

impl KeyIndex {
    /// Indexes `text`; an unparsable text gives an empty index (the parser reports that error itself).
    pub fn new(text: &str) -> Self {
        let mut entries = Vec::new();
        if let Ok(doc) = parse_document(text) {
            walk(doc.as_table(), "", &mut entries);
        }
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        KeyIndex { entries, line_starts, text: text.to_string() }
    }

    /// The lines of the text around the byte range `span`, to draw under a message.
    pub fn excerpt_at(&self, span: Range<usize>) -> Option<Excerpt> {
        Excerpt::new(&self.text, span)
    }

    /// The lines where `path` is written, with its value (or, for a table, its name) to underline; a missing key
    /// is shown at its longest present prefix's name, like [`KeyIndex::line_of`].
    pub fn excerpt_of(&self, path: &str) -> Option<Excerpt> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.iter().find(|e| e.path == p) {
                let exact = p == path;
                let span = if exact { e.value.clone().or(e.key.clone()) } else { e.key.clone() };
                return self.excerpt_at(span.unwrap_or(e.start..e.end));
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let col = offset - self.line_starts[line.saturating_sub(1)] + 1;
        (line, col)
    }

    /// The innermost key whose key-and-value text contains `offset`.
    pub fn key_at(&self, offset: usize) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| e.start <= offset && offset < e.end.max(e.start + 1))
            .max_by_key(|e| e.path.len())
            .map(|e| e.path.as_str())
    }

    /// 1-based line of `path`, or of its longest present prefix (a missing key is reported at its table).
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.iter().find(|e| e.path == p) {
                return Some(self.line_col(e.start).0);
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// Where `path`'s key-and-value text is, as a byte range, when written.
    pub fn entry_range(&self, path: &str) -> Option<Range<usize>> {
        self.entries.iter().find(|e| e.path == path).map(|e| e.start..e.end)
    }

    /// The byte range `span` of `other`'s text, moved onto this index's text: the same offset within `path`'s
    /// entry, if that entry's text is the same in both (an override leaves the other keys' text as written).
    pub fn translate(&self, other: &KeyIndex, path: &str, span: Range<usize>) -> Option<Range<usize>> {
        let (mine, theirs) = (self.entry_range(path)?, other.entry_range(path)?);
        if self.text.get(mine.clone()) != other.text.get(theirs.clone()) || span.start < theirs.start {
            return None;
        }
        let shift = |i: usize| i - theirs.start + mine.start;
        Some(shift(span.start)..shift(span.end.max(span.start)))
    }

    /// Whether `path` itself is written in the document.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.iter().any(|e| e.path == path)
    }
}

/// Why a text is not a TOML document: the parser's message and the byte range it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte range in the text, when the parser gives one.
    pub span: Option<std::ops::Range<usize>>,
    /// What is wrong.
    pub message: String,
}

/// Parses `text` as a TOML document with its spans, never panicking. toml_edit 0.23's error recovery panics on
/// some malformed texts ("all items have spans", e.g. `==` then `.=` on the next line), so a text that the `toml`
/// parser rejects is not handed to toml_edit at all: that parser's error is returned instead. Use this, not
/// `str::parse::<DocumentMut>`, on any text a user wrote.
pub fn parse_document(text: &str) -> Result<Document<String>, SyntaxError> {
    if let Err(e) = toml::from_str::<toml::Table>(text) {
        return Err(SyntaxError { span: e.span(), message: e.message().trim().to_string() });
    }
    Document::parse(text.to_string())
        .map_err(|e| SyntaxError { span: e.span(), message: e.message().trim().to_string() })
}

fn walk(table: &dyn TableLike, prefix: &str, out: &mut Vec<Entry>) {
    for (k, item) in table.iter() {
        let path = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
        let key_span = table.key(k).and_then(|key| key.span());
        let item_span = item.span();
        let start = key_span.as_ref().or(item_span.as_ref()).map(|s| s.start);
        let end = item_span.as_ref().or(key_span.as_ref()).map(|s| s.end);
        if let (Some(start), Some(end)) = (start, end) {
            let value = match item {
                Item::Value(_) => item_span.clone(),
                _ => None,
            };
            out.push(Entry { path: path.clone(), start, end: end.max(start), key: key_span.clone(), value });
        }
        match item {
            Item::Table(t) => walk(t, &path, out),
            Item::Value(v) => {
                if let Some(t) = v.as_inline_table() {
                    walk(t, &path, out);
                }
            }
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    walk(t, &format!("{path}[{i}]"), out);
                }
            }
            Item::None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n\n[links.ban]\nloss_prob = 2.0\n[cloudlets]\ncount = { a = 1 }\n";

    #[test]
    fn finds_lines_of_keys_and_missing_keys_at_their_table() {
        let idx = KeyIndex::new(TEXT);
        assert_eq!(idx.line_of("name"), Some(1));
        assert_eq!(idx.line_of("links.ban.loss_prob"), Some(4));
        assert_eq!(idx.line_of("cloudlets.count.a"), Some(6));
        assert_eq!(idx.line_of("cloudlets.mesh"), Some(5));
        assert_eq!(idx.line_of("nothing.here"), None);
    }

    #[test]
    fn excerpts_underline_the_value_or_the_table_of_a_missing_key() {
        let idx = KeyIndex::new(TEXT);
        let e = idx.excerpt_of("links.ban.loss_prob").unwrap();
        assert_eq!((e.first_line, &e.text[e.span.clone()]), (4, "2.0"));
        let e = idx.excerpt_of("cloudlets.count").unwrap();
        assert_eq!(&e.text[e.span.clone()], "{ a = 1 }");
        let e = idx.excerpt_of("cloudlets.mesh").unwrap();
        assert_eq!((e.first_line, &e.text[e.span.clone()]), (5, "cloudlets"));
        assert!(idx.excerpt_of("nothing.here").is_none());
    }

    #[test]
    fn malformed_texts_that_crash_toml_edit_are_errors() {
        // Found by fuzz/sweep_spec: toml_edit 0.23.10 panics "all items have spans" on this text.
        for text in ["==\n.=", "=\n.=", "a = 1\n==\n.=\n"] {
            assert!(parse_document(text).is_err(), "{text:?}");
            let idx = KeyIndex::new(text);
            assert_eq!(idx.line_of("a"), None, "{text:?}: an unparsable text gives an empty index");
        }
        let e = parse_document("==\n.=").unwrap_err();
        assert!(e.span.is_some() && !e.message.is_empty(), "{e:?}");
        assert!(parse_document(TEXT).is_ok());
    }

    #[test]
    fn finds_the_innermost_key_at_an_offset() {
        let idx = KeyIndex::new(TEXT);
        let off = TEXT.find("2.0").unwrap();
        assert_eq!(idx.key_at(off), Some("links.ban.loss_prob"));
        assert_eq!(idx.line_col(off), (4, 13));
    }
}
