//! The estimate as text: numbers, bytes and counts for messages, and the summary `validate` prints.

use std::fmt::Write as _;

use super::Estimate;

/// A configured number as text: plain, or in scientific notation when very large or small (`1e300`, not 301
/// digits).
pub(super) fn num(x: f64) -> String {
    if x != 0.0 && !(1e-3..1e7).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Human-readable bytes.
pub(super) fn bytes_text(b: f64) -> String {
    if b >= 1e12 {
        format!("{:.1} TB", b / 1e12)
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.1} kB", b / 1e3)
    }
}

/// A count as text: plain below a million, otherwise in scientific notation.
pub(super) fn count_text(x: f64) -> String {
    if x < 1e6 {
        format!("{}", x.round() as u64)
    } else {
        format!("{x:.1e}")
    }
}

impl Estimate {
    /// Multi-line text for `validate`: nodes, links, routes, memory, events with the largest sources.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "estimate: {} nodes, {} links ({} mesh edges), {} route entries",
            count_text(self.nodes as f64),
            count_text(self.links as f64),
            count_text(self.mesh_edges as f64),
            count_text(self.routes as f64)
        );
        let _ = write!(out, "  memory: about {}", bytes_text(self.memory_bytes as f64));
        if let Some(m) = self.memory.first() {
            let _ = write!(out, " (largest: {}, {})", m.what, bytes_text(m.bytes));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  events: about {}", count_text(self.events));
        for s in self.sources.iter().take(5) {
            let share = if self.events > 0.0 { 100.0 * s.events / self.events } else { 0.0 };
            let _ = writeln!(out, "    {:>9}  {share:>5.1}%  {} ({})", count_text(s.events), s.what, s.keys.join(", "));
        }
        if self.setup_steps >= 1e8 {
            let _ = writeln!(
                out,
                "  setup: about {} steps before the first event ({})",
                count_text(self.setup_steps),
                self.setup_detail.1
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::tests::{config, BASE};
    use crate::estimate::Estimate;

    #[test]
    fn render_names_the_largest_sources() {
        let text = Estimate::of(&config(BASE, &[])).render();
        assert!(text.contains("nodes") && text.contains("memory: about") && text.contains("events: about"), "{text}");
        assert!(text.contains("wearables.count"), "{text}");
    }
}
