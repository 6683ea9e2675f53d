//! A mobility trace: a CSV file of timestamped positions, `time_s,patient,x_m,y_m` (a header line, then one row per
//! point). Between two points of a patient its position is interpolated linearly; before its first point it stands
//! at that point, after its last it stays there; a patient the trace does not name stays where it was placed.
//! Every row is checked, and a bad one is reported with the file, line, column and what is allowed.

use crate::scenario::checker::shown;

/// The columns, in order.
const HEADER: [&str; 4] = ["time_s", "patient", "x_m", "y_m"];

/// One patient's points: (time s, x m, y m), times strictly increasing.
pub type Track = Vec<(f64, f64, f64)>;

/// The trace: each patient's track (empty for a patient the file does not name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Tracks by patient index.
    pub tracks: Vec<Track>,
}

impl Trace {
    /// Parses `text` (from `file`, for messages) for `patients` patients in a `width` × `height` m area.
    pub fn parse(text: &str, file: &str, patients: u32, width: f64, height: f64) -> Result<Trace, String> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let header: Vec<&str> = match lines.next() {
            Some((_, l)) => l.split(',').map(str::trim).collect(),
            None => {
                return Err(format!("{file}: is empty; allowed: a header line `time_s,patient,x_m,y_m`, then rows"))
            }
        };
        if header != HEADER {
            return Err(format!(
                "{file}:1: the header is `{}`; allowed: exactly `time_s,patient,x_m,y_m`",
                header.join(",")
            ));
        }
        let mut tracks: Vec<Track> = vec![Vec::new(); patients as usize];
        for (i, line) in lines {
            let at =
                |col: usize, what: String| format!("{file}:{} column {} (`{}`): {what}", i + 1, col + 1, HEADER[col]);
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != 4 {
                return Err(format!(
                    "{file}:{}: has {} columns; allowed: 4 (time_s,patient,x_m,y_m)",
                    i + 1,
                    cells.len()
                ));
            }
            let num = |col: usize| -> Result<f64, String> {
                cells[col]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| at(col, format!("{:?} is not a finite number", cells[col])))
            };
            let t = num(0)?;
            if t < 0.0 {
                return Err(at(0, format!("{} is negative; allowed: a time >= 0 s", shown(t))));
            }
            let p: u32 = cells[1].parse().ok().filter(|&p| p < patients).ok_or_else(|| {
                at(1, format!("{:?} is not a patient index; allowed: an integer from 0 to {}", cells[1], patients - 1))
            })?;
            let (x, y) = (num(2)?, num(3)?);
            if !(0.0..=width).contains(&x) {
                return Err(at(
                    2,
                    format!("{} is outside the area; allowed: 0 to area.width_m = {}", shown(x), shown(width)),
                ));
            }
            if !(0.0..=height).contains(&y) {
                return Err(at(
                    3,
                    format!("{} is outside the area; allowed: 0 to area.height_m = {}", shown(y), shown(height)),
                ));
            }
            let track = &mut tracks[p as usize];
            if let Some(&(last, _, _)) = track.last() {
                if t <= last {
                    return Err(at(0, format!("{} is not after patient {p}'s previous point at {} s; allowed: increasing times per patient", shown(t), shown(last))));
                }
            }
            track.push((t, x, y));
        }
        Ok(Trace { tracks })
    }

    /// Patient `p`'s position at `t_s`, or `None` if the trace does not name it.
    pub fn position(&self, p: usize, t_s: f64) -> Option<(f64, f64)> {
        let track = self.tracks.get(p).filter(|t| !t.is_empty())?;
        let i = track.partition_point(|&(t, _, _)| t <= t_s);
        Some(match i {
            0 => (track[0].1, track[0].2),
            i if i == track.len() => (track[i - 1].1, track[i - 1].2),
            i => {
                let ((t0, x0, y0), (t1, x1, y1)) = (track[i - 1], track[i]);
                let f = (t_s - t0) / (t1 - t0);
                (x0 + f * (x1 - x0), y0 + f * (y1 - y0))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_is_replayed_exactly_and_linearly_between_points() {
        let text = "time_s,patient,x_m,y_m\n0,0,0,0\n10,0,100,50\n5,1,20,20\n20,0,100,50\n";
        let t = Trace::parse(text, "t.csv", 3, 200.0, 200.0).expect("valid");
        assert_eq!(t.position(0, 0.0), Some((0.0, 0.0)));
        assert_eq!(t.position(0, 10.0), Some((100.0, 50.0)));
        assert_eq!(t.position(0, 2.5), Some((25.0, 12.5)));
        assert_eq!(t.position(0, 99.0), Some((100.0, 50.0)));
        assert_eq!(t.position(1, 0.0), Some((20.0, 20.0)), "held at its first point before it");
        assert_eq!(t.position(2, 3.0), None, "not in the trace");
    }

    #[test]
    fn bad_rows_name_file_line_column_and_what_is_allowed() {
        let err =
            |body: &str| Trace::parse(&format!("time_s,patient,x_m,y_m\n{body}"), "m.csv", 2, 100.0, 50.0).unwrap_err();
        assert!(err("0,0,0,0\n1,0,x,0\n").contains("m.csv:3 column 3 (`x_m`): \"x\" is not a finite number"));
        assert!(err("0,5,0,0\n").contains("m.csv:2 column 2 (`patient`)") && err("0,5,0,0\n").contains("0 to 1"));
        assert!(err("0,0,0,60\n").contains("column 4 (`y_m`)") && err("0,0,0,60\n").contains("area.height_m = 50"));
        assert!(err("2,0,0,0\n1,0,0,0\n").contains("increasing times per patient"));
        assert!(err("1,0,0\n").contains("has 3 columns"));
        assert!(Trace::parse("t,p,x,y\n", "m.csv", 1, 1.0, 1.0).unwrap_err().contains("m.csv:1: the header"));
    }
}
