//! The weekly report as one self-contained HTML page: inline CSS only (no scripts, no fonts or
//! images fetched from anywhere, so it opens the same from a mail attachment or an air-gapped
//! server), headings in order, a real table with header cells, dark text on light backgrounds
//! well above WCAG AA contrast, and every piece of text escaped.

use super::{CommitmentCounts, PromptCounts, WeeklyReport};
use std::fmt::Write;

const STYLE: &str = "\
body{margin:0;background:#f6f7f9;color:#1b1f24;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
main{max-width:64rem;margin:0 auto;padding:1.5rem}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}\
.meta{color:#3d4650;margin:0}\
.figures{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0;margin:0}\
.figures li{background:#fff;border:1px solid #c9d0d8;border-radius:.5rem;padding:.75rem 1rem;min-width:10rem;flex:1}\
.figures strong{display:block;font-size:1.6rem;color:#0b3d6e}\
.good li::marker{content:'✓ ';color:#1d6b33}.help li::marker{content:'→ ';color:#8a4b00}\
table{border-collapse:collapse;width:100%;background:#fff}\
caption{text-align:left;color:#3d4650;padding:.25rem 0}\
th,td{border:1px solid #c9d0d8;padding:.4rem .5rem;text-align:right}\
th[scope=row],thead th{text-align:left}thead th{background:#e8edf2}\
tfoot th,tfoot td{font-weight:bold;background:#eef1f4}\
.note{color:#3d4650;font-size:.9rem}";

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn day(date: jiff::civil::Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

fn ratio(part: u32, whole: u32) -> String {
    format!("{part}/{whole}")
}

fn commitments(c: &CommitmentCounts) -> [String; 4] {
    [
        ratio(c.kept, c.due),
        c.late.to_string(),
        c.broken.to_string(),
        format!("{} ({} overdue)", c.open, c.overdue),
    ]
}

fn prompts(p: &PromptCounts) -> String {
    ratio(p.taken, p.suggested)
}

/// Renders the page.
pub(crate) fn render(report: &WeeklyReport) -> String {
    let t = &report.totals;
    let mut page = String::new();
    let title = format!(
        "{}: week of {} to {}",
        report.team,
        day(report.week_start),
        day(report.week_end)
    );
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n\
         <p class=\"meta\">Weekly report for supervisors. Times in {}; statuses as of {}.</p>\n",
        escape(&format!("Weekly report — {title}")),
        escape(&title),
        escape(&report.time_zone),
        escape(
            &jiff::tz::TimeZone::get(&report.time_zone)
                .map(|z| report
                    .as_of
                    .to_zoned(z)
                    .strftime("%a %-d %b %Y %H:%M")
                    .to_string())
                .unwrap_or_else(|_| report.as_of.to_string())
        ),
    );

    page.push_str("<section aria-labelledby=\"key\">\n<h2 id=\"key\">Key numbers</h2>\n<ul class=\"figures\">\n");
    let kept = t
        .promises
        .kept_percent()
        .map_or_else(|| "–".to_string(), |p| format!("{p}%"));
    let figures = [
        (
            kept,
            format!(
                "promises kept on time ({} of {} due)",
                t.promises.kept, t.promises.due
            ),
        ),
        (
            t.follow_ups.overdue.to_string(),
            format!(
                "follow-ups overdue ({} of {} done)",
                t.follow_ups.done(),
                t.follow_ups.due
            ),
        ),
        (
            t.incidents.reported.to_string(),
            format!("incidents reported ({} resolved)", t.incidents.resolved),
        ),
        (
            t.exposure.intense.to_string(),
            format!(
                "intense conversations (breaks taken {}, debriefs taken {})",
                prompts(&t.exposure.breaks),
                prompts(&t.exposure.debriefs)
            ),
        ),
        (
            t.out_of_hours_days.to_string(),
            format!(
                "days with work outside hours ({} actions)",
                t.out_of_hours_actions
            ),
        ),
    ];
    for (number, label) in figures {
        let _ = writeln!(
            page,
            "<li><strong>{}</strong> {}</li>",
            escape(&number),
            escape(&label)
        );
    }
    page.push_str("</ul>\n</section>\n");

    for (id, heading, class, points) in [
        ("good", "What went well", "good", &report.successes),
        ("help", "Where support may help", "help", &report.challenges),
    ] {
        let _ = writeln!(
            page,
            "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n<ul class=\"{class}\">"
        );
        for point in points {
            let _ = writeln!(page, "<li>{}</li>", escape(point));
        }
        page.push_str("</ul>\n</section>\n");
    }

    page.push_str(
        "<section aria-labelledby=\"people\">\n<h2 id=\"people\">By worker</h2>\n<table>\n\
         <caption>Promises and follow-ups due this week, incidents raised this week, load and \
         prompts taken (taken/suggested).</caption>\n<thead><tr>",
    );
    let columns = [
        "Worker",
        "Promises kept on time",
        "Late",
        "Broken",
        "Open",
        "Follow-ups done",
        "Follow-ups overdue",
        "Incidents reported",
        "Resolved",
        "Exposure",
        "Intense",
        "Breaks taken",
        "Debriefs taken",
        "Days outside hours",
    ];
    for column in columns {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape(column));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    let row = |page: &mut String, name: &str, cells: Vec<String>| {
        let _ = write!(page, "<tr><th scope=\"row\">{}</th>", escape(name));
        for cell in cells {
            let _ = write!(page, "<td>{}</td>", escape(&cell));
        }
        page.push_str("</tr>\n");
    };
    let cells = |promises: &CommitmentCounts,
                 follow_ups: &CommitmentCounts,
                 reported: u32,
                 resolved: u32,
                 exposure: &super::ExposureSummary,
                 days: usize| {
        let mut cells: Vec<String> = commitments(promises).into();
        cells.extend([
            ratio(follow_ups.done(), follow_ups.due),
            follow_ups.overdue.to_string(),
            reported.to_string(),
            resolved.to_string(),
            exposure.score.to_string(),
            exposure.intense.to_string(),
            prompts(&exposure.breaks),
            prompts(&exposure.debriefs),
            days.to_string(),
        ]);
        cells
    };
    for w in &report.workers {
        row(
            &mut page,
            &w.name,
            cells(
                &w.promises,
                &w.follow_ups,
                w.incidents.reported,
                w.incidents.resolved,
                &w.exposure,
                w.out_of_hours.distinct_days(),
            ),
        );
    }
    page.push_str("</tbody>\n<tfoot>\n");
    row(
        &mut page,
        "Team",
        cells(
            &t.promises,
            &t.follow_ups,
            t.incidents.reported,
            t.incidents.resolved,
            &t.exposure,
            t.out_of_hours_days as usize,
        ),
    );
    page.push_str("</tfoot>\n</table>\n</section>\n");

    page.push_str(
        "<section aria-labelledby=\"read\">\n<h2 id=\"read\">How to read this</h2>\n\
         <p class=\"note\">Exposure weighs difficult contacts (threats, abuse, urgent \
         disclosures, strong anger, boundary crossings) by the organisation's rules; it measures \
         what a worker absorbed, not how well they did. Work outside hours is a pattern to talk \
         about, not a breach. No client's words appear in this report.</p>\n</section>\n\
         </main>\n</body>\n</html>\n",
    );
    page
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b>Tom & \"Jerry\"</b> l'ami"),
            "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; l&#39;ami"
        );
    }
}
