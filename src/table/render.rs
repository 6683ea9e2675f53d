//! Tables as text: Markdown pipe tables, LaTeX booktabs tabulars, CSV.

use super::{Align, Cell, Format, Table};

/// The tables in `format`, separated by a blank line (CSV: each with its own header line).
pub fn render(tables: &[Table], format: Format) -> String {
    let parts: Vec<String> = tables
        .iter()
        .map(|t| match format {
            Format::Markdown => markdown(t),
            Format::Latex => latex(t),
            Format::Csv => csv_text(t),
        })
        .collect();
    parts.join("\n")
}

fn markdown(t: &Table) -> String {
    let cell = |c: &Cell| {
        let text = c.text.replace('|', "\\|");
        if c.bold && !text.is_empty() {
            format!("**{text}**")
        } else {
            text
        }
    };
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(t.header.iter().map(|h| h.replace('|', "\\|")).collect());
    let rules: Vec<&str> = t.align.iter().map(|a| if *a == Align::Right { "---:" } else { "---" }).collect();
    out.push_str(&format!("|{}|\n", rules.join("|")));
    for row in &t.rows {
        out.push_str(&line(row.iter().map(cell).collect()));
    }
    out
}

/// `s` escaped for LaTeX text mode: the ten special characters, and `±`, `−`, `µ`, `×`, `≥`, `≤` as math.
pub fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '±' => out.push_str("$\\pm$"),
            '\u{2212}' => out.push_str("$-$"),
            'µ' | 'μ' => out.push_str("$\\mu$"),
            '×' => out.push_str("$\\times$"),
            '≥' => out.push_str("$\\geq$"),
            '≤' => out.push_str("$\\leq$"),
            '–' => out.push_str("--"),
            _ => out.push(c),
        }
    }
    out
}

fn latex(t: &Table) -> String {
    let spec: String = t.align.iter().map(|a| if *a == Align::Right { 'r' } else { 'l' }).collect();
    let cell = |c: &Cell| {
        let text = latex_escape(&c.text);
        if c.bold && !text.is_empty() {
            format!("\\textbf{{{text}}}")
        } else {
            text
        }
    };
    let mut out = format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n");
    out.push_str(&format!(
        "{} \\\\\n\\midrule\n",
        t.header.iter().map(|h| latex_escape(h)).collect::<Vec<_>>().join(" & ")
    ));
    for row in &t.rows {
        out.push_str(&format!("{} \\\\\n", row.iter().map(cell).collect::<Vec<_>>().join(" & ")));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    out
}

fn csv_text(t: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, rec: Vec<&str>| w.write_record(rec).expect("writing to memory");
    write(&mut w, t.header.iter().map(String::as_str).collect());
    for row in &t.rows {
        write(&mut w, row.iter().map(|c| c.text.as_str()).collect());
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("the cells are text")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "t",
            header: vec!["loss_prob".into(), "delivery % & more".into()],
            align: vec![Align::Left, Align::Right],
            rows: vec![
                vec![Cell::new("a|b"), Cell { text: "0.41 ± 0.01".into(), bold: true }],
                vec![Cell::new("x,y"), Cell::new("\u{2212}1 µJ")],
            ],
        }
    }

    #[test]
    fn markdown_escapes_pipes_and_bolds() {
        assert_eq!(
            render(&[table()], Format::Markdown),
            "| loss_prob | delivery % & more |\n|---|---:|\n| a\\|b | **0.41 ± 0.01** |\n| x,y | \u{2212}1 µJ |\n"
        );
    }

    #[test]
    fn latex_is_booktabs_and_escaped() {
        let s = render(&[table()], Format::Latex);
        assert_eq!(
            s,
            "\\begin{tabular}{lr}\n\\toprule\nloss\\_prob & delivery \\% \\& more \\\\\n\\midrule\n\
             a|b & \\textbf{0.41 $\\pm$ 0.01} \\\\\nx,y & $-$1 $\\mu$J \\\\\n\\bottomrule\n\\end{tabular}\n"
        );
        assert_eq!(
            latex_escape("a_b#c$d{e}~^\\"),
            "a\\_b\\#c\\$d\\{e\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
    }

    #[test]
    fn csv_quotes_what_it_must() {
        let s = render(&[table()], Format::Csv);
        assert_eq!(s, "loss_prob,delivery % & more\na|b,0.41 ± 0.01\n\"x,y\",\u{2212}1 µJ\n");
        let back: Vec<csv::StringRecord> =
            csv::Reader::from_reader(s.as_bytes()).records().collect::<Result<_, _>>().unwrap();
        assert_eq!(&back[1][0], "x,y");
    }
}
