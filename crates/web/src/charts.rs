//! Charts over time for the dashboard, drawn on the server as SVG (plotters), so they need no
//! script and no chart library in the browser. Each chart also says in text what it shows, for
//! people who do not see it.

use plotters::prelude::*;
use std::collections::BTreeMap;

/// Counts per week (the Monday it starts on) and per series.
pub type Weekly = BTreeMap<jiff::civil::Date, BTreeMap<String, i64>>;

/// Colours with enough contrast on white, one per series.
const COLOURS: [RGBColor; 6] = [
    RGBColor(0x1f, 0x4e, 0x9a),
    RGBColor(0xb3, 0x3c, 0x00),
    RGBColor(0x2b, 0x6e, 0x2b),
    RGBColor(0x7a, 0x1f, 0x7a),
    RGBColor(0x8a, 0x6d, 0x00),
    RGBColor(0x5a, 0x5a, 0x5a),
];

/// The Monday of the week `at` falls in (UTC).
pub fn week_of(at: jiff::Timestamp) -> jiff::civil::Date {
    let date = at.to_zoned(jiff::tz::TimeZone::UTC).date();
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

/// The last `weeks` Mondays up to the week of `now`, oldest first.
pub fn recent_weeks(now: jiff::Timestamp, weeks: usize) -> Vec<jiff::civil::Date> {
    let this = week_of(now);
    (0..weeks)
        .rev()
        .filter_map(|i| this.checked_sub(jiff::Span::new().weeks(i as i64)).ok())
        .collect()
}

/// A line chart of `counts` over `weeks`, one line per series, as an SVG document; `title` is its
/// accessible name.
pub fn weekly_lines(title: &str, weeks: &[jiff::civil::Date], counts: &Weekly) -> String {
    let mut series: Vec<&String> = counts.values().flat_map(|s| s.keys()).collect();
    series.sort();
    series.dedup();
    let top = counts
        .values()
        .flat_map(|s| s.values())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 260)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(28)
                .y_label_area_size(36)
                .build_cartesian_2d(0..weeks.len().saturating_sub(1).max(1), 0..top + 1)?;
            chart
                .configure_mesh()
                .x_labels(weeks.len())
                .x_label_formatter(&|i| {
                    weeks
                        .get(*i)
                        .map(|d| d.strftime("%d/%m").to_string())
                        .unwrap_or_default()
                })
                .y_labels(5)
                .label_style(("sans-serif", 13).into_font().color(&BLACK))
                .light_line_style(RGBColor(0xdd, 0xdd, 0xdd))
                .draw()?;
            for (n, name) in series.iter().enumerate() {
                let colour = COLOURS[n % COLOURS.len()];
                let points = weeks.iter().enumerate().map(|(i, week)| {
                    let count = counts
                        .get(week)
                        .and_then(|s| s.get(*name))
                        .copied()
                        .unwrap_or(0);
                    (i, count)
                });
                chart
                    .draw_series(LineSeries::new(points, colour.stroke_width(3)))?
                    .label(name.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                    });
            }
            if !series.is_empty() {
                chart
                    .configure_series_labels()
                    .background_style(WHITE.mix(0.9))
                    .border_style(BLACK)
                    .label_font(("sans-serif", 13).into_font().color(&BLACK))
                    .draw()?;
            }
            root.present()?;
            Ok(())
        })();
        if let Err(error) = drawn {
            tracing::warn!(%error, "chart not drawn");
        }
    }
    // The accessible name and role go on the root element.
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            title
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
        ),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_name_and_series() {
        let now: jiff::Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let weeks = recent_weeks(now, 4);
        assert_eq!(weeks.len(), 4);
        assert_eq!(weeks[3].to_string(), "2026-11-23", "a Monday");
        let mut counts = Weekly::new();
        counts
            .entry(weeks[3])
            .or_default()
            .insert("abuse".into(), 3);
        let svg = weekly_lines("Incidents per week", &weeks, &counts);
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"Incidents per week\""),
            "{svg:.200}"
        );
        assert!(svg.contains("abuse"));
        assert!(svg.len() < 40_000, "small enough to inline: {}", svg.len());
    }
}
