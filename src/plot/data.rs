//! The data a figure plots, written beside it as `<stem>.data.csv`.
//!
//! One rule for every figure: the file is named after the figure's stem with `.data.csv` appended (never plain
//! `<stem>.csv`, which several analyses already use for their own tables), and holds one row per plotted mark
//! (point, bar, cell). Its first columns name what the row belongs to (`panel`, `series`, ...), as text; the other
//! columns are the plotted quantities, each named by its axis label with its unit, added in the order they first
//! appear. A row leaves empty the quantities its panel does not plot (a figure with two panels of different axes
//! has both panels' columns). Numbers are written in Rust's shortest round-trip form, so reading them back gives
//! the plotted values exactly; a value that is not finite (not drawn) is left empty.

use std::path::{Path, PathBuf};

/// One figure's data: text columns that place each row, then numeric columns named with their units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureData {
    /// Names of the leading text columns.
    keys: Vec<String>,
    /// Names of the numeric columns, in first-seen order.
    values: Vec<String>,
    /// Rows: the key texts and `(value column index, value)` pairs.
    rows: Vec<Row>,
}

/// One row: the key texts, and `(value column index, value)` pairs.
type Row = (Vec<String>, Vec<(usize, f64)>);

impl FigureData {
    /// An empty table whose rows are placed by the text columns `keys` (for example `["panel", "series"]`).
    pub fn new(keys: &[&str]) -> FigureData {
        FigureData { keys: keys.iter().map(|k| k.to_string()).collect(), ..FigureData::default() }
    }

    /// Adds a row: `keys` (one text per key column) and `values` as (column name with unit, value).
    pub fn push(&mut self, keys: &[&str], values: &[(&str, f64)]) {
        debug_assert_eq!(keys.len(), self.keys.len(), "one text per key column");
        let cells = values
            .iter()
            .map(|(name, v)| {
                let i = match self.values.iter().position(|c| c == name) {
                    Some(i) => i,
                    None => {
                        self.values.push(name.to_string());
                        self.values.len() - 1
                    }
                };
                (i, *v)
            })
            .collect();
        self.rows.push((keys.iter().map(|k| k.to_string()).collect(), cells));
    }

    /// The header: key columns, then value columns.
    pub fn header(&self) -> Vec<String> {
        self.keys.iter().chain(&self.values).cloned().collect()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The CSV text.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.header())?;
        for (keys, cells) in &self.rows {
            let mut values = vec![String::new(); self.values.len()];
            for &(i, v) in cells {
                values[i] = if v.is_finite() { format!("{v}") } else { String::new() };
            }
            w.write_record(keys.iter().chain(&values))?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// The data file of the figure `base` (`base` with any extension replaced): `<stem>.data.csv`.
pub fn data_path(base: &Path) -> PathBuf {
    base.with_extension("data.csv")
}

/// The data file of a figure whose `base` may contain dots (extensions appended, as [`super::xy_figure`] does).
pub fn data_path_appended(base: &Path) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(".data.csv");
    PathBuf::from(s)
}

/// Writes `data` to `path`.
pub fn write_data(path: &Path, data: &FigureData) -> Result<(), super::PlotError> {
    let err = |message: String| super::PlotError { path: path.to_path_buf(), message };
    let bytes = data.to_csv().map_err(|e| err(e.to_string()))?;
    std::fs::write(path, bytes).map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_union_in_first_seen_order_and_values_round_trip() {
        let mut d = FigureData::new(&["panel", "series"]);
        d.push(&["top", "a"], &[("x (s)", 0.1), ("y (J)", 1.0 / 3.0)]);
        d.push(&["bottom", "b, with comma"], &[("x (s)", 2.0), ("rate", f64::NAN)]);
        let text = String::from_utf8(d.to_csv().unwrap()).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), ["panel", "series", "x (s)", "y (J)", "rate"]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows[0][3].parse::<f64>().unwrap(), 1.0 / 3.0, "shortest round-trip form");
        assert_eq!(&rows[1][1], "b, with comma");
        assert_eq!((&rows[1][3], &rows[1][4]), ("", ""), "not plotted or not finite: empty");
        assert_eq!(data_path(Path::new("d/roc_det")), Path::new("d/roc_det.data.csv"));
        assert_eq!(data_path_appended(Path::new("d/a_0.5")), Path::new("d/a_0.5.data.csv"));
    }
}
