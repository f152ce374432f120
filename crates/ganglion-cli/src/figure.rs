//! The study's figure: each model's mean (bar) and spread over held-out animals (line)
//! for every metric, beside its floor or baseline, one panel per metric.

use std::path::Path;

use ganglion_train::study::StudyReport;
use plotters::prelude::*;

const FLOOR: RGBColor = RGBColor(170, 170, 170);
const MODEL: RGBColor = RGBColor(31, 119, 180);

/// Writes the figure as SVG at `path`.
pub fn study_svg(report: &StudyReport, path: &Path) -> Result<(), String> {
    let metrics: Vec<&str> = ganglion_train::study::METRICS
        .iter()
        .copied()
        .filter(|m| report.summary.iter().any(|r| r.metric == *m))
        .collect();
    if metrics.is_empty() {
        return Err("the study has no scores to plot".into());
    }
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root = SVGBackend::new(path, (320 * metrics.len() as u32, 380)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let panels = root.split_evenly((1, metrics.len()));
    for (panel, metric) in panels.iter().zip(&metrics) {
        let rows: Vec<_> = report.summary.iter().filter(|r| r.metric == *metric).collect();
        let top = rows
            .iter()
            .flat_map(|r| [r.mean + r.sd, r.floor_mean + r.floor_sd])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-6)
            * 1.15;
        let bottom = rows.iter().flat_map(|r| [r.mean - r.sd, r.floor_mean - r.floor_sd]).fold(0.0f64, f64::min);
        let labels: Vec<String> = rows.iter().map(|r| format!("{:?}", r.model).to_uppercase()).collect();
        let mut chart = ChartBuilder::on(panel)
            .caption(*metric, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..rows.len() as f64, bottom..top)
            .map_err(|e| failed(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(rows.len())
            .x_label_formatter(&|x| labels.get(x.floor() as usize).cloned().unwrap_or_default())
            .draw()
            .map_err(|e| failed(&e))?;
        for (i, r) in rows.iter().enumerate() {
            let x = i as f64;
            for (offset, value, sd, colour) in [(0.15, r.mean, r.sd, MODEL), (0.5, r.floor_mean, r.floor_sd, FLOOR)] {
                let (a, b) = (x + offset, x + offset + 0.3);
                chart.draw_series([Rectangle::new([(a, 0.0), (b, value)], colour.filled())]).map_err(|e| failed(&e))?;
                let mid = (a + b) / 2.0;
                chart
                    .draw_series([PathElement::new(vec![(mid, value - sd), (mid, value + sd)], BLACK.stroke_width(2))])
                    .map_err(|e| failed(&e))?;
            }
        }
    }
    root.present().map_err(|e| failed(&e))
}
