//! The source lines a located problem stands on, drawn under its message with a caret under the offending text:
//!
//! ```text
//!   s.toml:3: key `wearables.count`: invalid type: string "many", expected u32
//!       |
//!     3 | count = "many"
//!       |         ^^^^^^
//! ```
//!
//! Drawn by `annotate-snippets` (the renderer rustc's diagnostics use): it lines the caret up under tabs and wide
//! or multibyte characters. Plain text unless [`set_colour`] turned colour on (the CLI does when standard error
//! is a terminal and `NO_COLOR` is not set), so tests, pipes and logs never see escape codes.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use annotate_snippets::{Level, Renderer, Snippet};

static COLOUR: AtomicBool = AtomicBool::new(false);

/// What a tab is drawn as.
const TAB: &str = "    ";

/// Most source lines shown for one problem (a value spanning more lines is cut, its caret kept on the first ones).
pub const MAX_LINES: usize = 6;

/// Turns colour on or off in every excerpt rendered afterwards (off by default).
pub fn set_colour(on: bool) {
    COLOUR.store(on, Ordering::Relaxed);
}

/// The lines of a source text around a problem, and the byte range within them to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based line number of the first line of `text`.
    pub first_line: usize,
    /// Whole source lines (at most [`MAX_LINES`]), without the last line's end.
    pub text: String,
    /// The offending bytes, as a range within `text` (empty ranges are widened to one character by the renderer).
    pub span: Range<usize>,
}

impl Excerpt {
    /// The excerpt of `source` that holds the bytes `span` (clamped to the text and to character boundaries);
    /// `None` if the span starts beyond the text.
    pub fn new(source: &str, span: Range<usize>) -> Option<Excerpt> {
        if span.start > source.len() {
            return None;
        }
        let floor = |mut i: usize| {
            while !source.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let first_line = source[..line_start].matches('\n').count() + 1;
        let rest = &source[line_start..];
        // The lines from the span's first up to its last, at most MAX_LINES.
        let mut cut = rest.len();
        let mut lines = 0;
        for (i, _) in rest.match_indices('\n') {
            lines += 1;
            if i + line_start >= end.max(start + 1) || lines == MAX_LINES {
                cut = i;
                break;
            }
        }
        let text = rest[..cut].trim_end_matches('\r').to_string();
        let span = (start - line_start)..(end - line_start).min(text.len());
        Some(Excerpt { first_line, text, span })
    }

    /// The excerpt drawn: a gutter of line numbers, the lines, and carets under the span; every line of the
    /// drawing starts with `indent`. No file name: the message above it names the file and line.
    pub fn render(&self, indent: &str) -> String {
        // annotate-snippets 0.11 draws a tab as four spaces but does not move the caret with it: expand tabs
        // here, and the span with them.
        let widen = |end: usize| end + self.text[..end].matches('\t').count() * (TAB.len() - 1);
        let text = self.text.replace('\t', TAB);
        let span = widen(self.span.start)..widen(self.span.end);
        let snippet =
            Snippet::source(&text).line_start(self.first_line).fold(false).annotation(Level::Error.span(span));
        let message = Level::Error.title("").snippet(snippet);
        let renderer = if COLOUR.load(Ordering::Relaxed) { Renderer::styled() } else { Renderer::plain() };
        let drawn = renderer.render(message).to_string();
        // The first line is the (empty) title: the message above replaces it; the last, an empty gutter.
        let mut lines: Vec<&str> = drawn.lines().skip(1).collect();
        while lines.last().is_some_and(|l| l.trim() == "|" || l.trim().is_empty()) {
            lines.pop();
        }
        lines.iter().map(|l| format!("{indent}{l}")).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The drawn lines, and the column (in characters) of every caret on the line under the source line `n`.
    fn carets(drawn: &str, n: usize) -> Vec<usize> {
        let lines: Vec<&str> = drawn.lines().collect();
        let at = lines.iter().position(|l| l.trim_start().starts_with(&format!("{n} |"))).expect("source line drawn");
        let under = lines[at + 1];
        under.chars().enumerate().filter(|(_, c)| *c == '^').map(|(i, _)| i).collect()
    }

    /// The column (in characters) where `needle` is drawn on the source line `n`.
    fn column_of(drawn: &str, n: usize, needle: &str) -> usize {
        let line = drawn.lines().find(|l| l.trim_start().starts_with(&format!("{n} |"))).unwrap();
        let byte = line.find(needle).unwrap();
        line[..byte].chars().count()
    }

    #[test]
    fn the_caret_is_under_a_value_after_multibyte_text_on_its_line() {
        let src = "[ids.score.attack_mean]\n\"prøbé ✓\" = \"high\"\n";
        let start = src.find("\"high\"").unwrap();
        let drawn = Excerpt::new(src, start..start + 6).unwrap().render("");
        let col = column_of(&drawn, 2, "\"high\"");
        assert_eq!(carets(&drawn, 2), (col..col + 6).collect::<Vec<_>>(), "\n{drawn}");
    }

    #[test]
    fn the_caret_is_under_the_value_after_multibyte_text_and_tabs() {
        let src = "name = \"é\"\n[wearables]\n# ✓ ünïcödé\tcomment\n\tcount\t= \"many\" # ✓\n";
        let start = src.find("\"many\"").unwrap();
        let e = Excerpt::new(src, start..start + 6).unwrap();
        assert_eq!((e.first_line, e.text.as_str()), (4, "\tcount\t= \"many\" # ✓"));
        let drawn = e.render("    ");
        assert!(drawn.lines().all(|l| l.starts_with("    ")), "{drawn}");
        assert!(!drawn.contains('\t') && !drawn.ends_with('|'), "{drawn}");
        let c = carets(&drawn, 4);
        let col = column_of(&drawn, 4, "\"many\"");
        assert_eq!(c, (col..col + 6).collect::<Vec<_>>(), "six carets under \"many\":\n{drawn}");
        assert!(!drawn.contains('\u{1b}'), "no colour unless asked");
    }

    #[test]
    fn a_value_spanning_lines_shows_each_line_up_to_the_limit() {
        let src = "a = 1\nlist = [\n  1,\n  2,\n]\nb = 2\n";
        let start = src.find('[').unwrap();
        let end = src.find(']').unwrap() + 1;
        let e = Excerpt::new(src, start..end).unwrap();
        assert_eq!(e.first_line, 2);
        assert_eq!(e.text, "list = [\n  1,\n  2,\n]");
        let drawn = e.render("");
        for n in 2..=5 {
            assert!(drawn.lines().any(|l| l.trim_start().starts_with(&format!("{n} |"))), "line {n}:\n{drawn}");
        }
        assert!(!drawn.contains("b = 2"), "no line after the value:\n{drawn}");
        let long: String = "x = [\n".to_string() + &"  1,\n".repeat(20) + "]\n";
        let e = Excerpt::new(&long, 4..long.len() - 1).unwrap();
        assert_eq!(e.text.lines().count(), MAX_LINES, "{:?}", e.text);
        assert!(e.span.end <= e.text.len());
    }

    #[test]
    fn spans_off_char_boundaries_or_past_the_end_are_clamped() {
        let src = "k = \"ü\"";
        let e = Excerpt::new(src, 6..100).unwrap();
        assert_eq!(e.span, 5..src.len(), "start moved back onto the character, end to the text's end");
        assert!(Excerpt::new(src, 100..101).is_none());
        let e = Excerpt::new("a = 1\n", 6..6).unwrap();
        assert_eq!((e.first_line, e.text.as_str()), (2, ""), "an error at the very end points at the last line");
        e.render("");
    }
}
