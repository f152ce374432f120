//! The benchmark's figure: steps per second against neurons, one line per model and
//! backend, log-log (the GNN's cost grows as N^2, the baselines' far more slowly).

use std::path::Path;

use plotters::prelude::*;

/// Draws `series` (name, points (neurons, steps per second)) as an SVG at `path`.
pub fn steps_per_second(series: &[(String, Vec<(f64, f64)>)], path: &Path) -> Result<(), String> {
    let points = series.iter().flat_map(|(_, p)| p.iter().copied());
    let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in points.filter(|(x, y)| *x > 0.0 && *y > 0.0 && y.is_finite()) {
        (x_lo, x_hi, y_lo, y_hi) = (x_lo.min(x), x_hi.max(x), y_lo.min(y), y_hi.max(y));
    }
    if x_lo > x_hi {
        return Err("nothing to plot".to_owned());
    }
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Training steps per second", ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d((x_lo * 0.8..x_hi * 1.25).log_scale(), (y_lo * 0.5..y_hi * 2.0).log_scale())
        .map_err(|e| failed(&e))?;
    chart.configure_mesh().x_desc("neurons").y_desc("steps per second").draw().map_err(|e| failed(&e))?;
    for (i, (name, points)) in series.iter().enumerate() {
        let colour = Palette99::pick(i).to_rgba();
        let style = ShapeStyle::from(&colour).stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.iter().copied(), style).point_size(3))
            .map_err(|e| failed(&e))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))
}
