//! Prometheus metrics at `/metrics`: requests by route and status with their latency, messages
//! ingested, incidents raised and alerts sent. Counts only, never content, so the endpoint is safe
//! to scrape without a key on the organisation's network.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Latency buckets, in seconds.
const BUCKETS: [f64; 8] = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0];

#[derive(Default)]
struct Requests {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Requests>>,
    events: Mutex<BTreeMap<(&'static str, String), u64>>,
}

impl Metrics {
    /// Counts a request: method, route template, status and seconds taken.
    pub(crate) fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let entry = requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        entry.count += 1;
        entry.sum += seconds;
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    /// Counts an event of a family (`tact_ingested_messages_total`) with its label.
    pub(crate) fn event(&self, family: &'static str, label: &str) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        *events.entry((family, label.to_string())).or_default() += 1;
    }

    /// The text exposition format.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP tact_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE tact_http_requests_total counter");
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        for ((method, route, status), r) in requests.iter() {
            let _ = writeln!(
                out,
                "tact_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                r.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP tact_http_request_seconds Time to answer, by route."
        );
        let _ = writeln!(out, "# TYPE tact_http_request_seconds histogram");
        for ((method, route, status), r) in requests.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (bound, count) in BUCKETS.iter().zip(r.buckets) {
                let _ = writeln!(
                    out,
                    "tact_http_request_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "tact_http_request_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                r.count
            );
            let _ = writeln!(out, "tact_http_request_seconds_sum{{{labels}}} {}", r.sum);
            let _ = writeln!(
                out,
                "tact_http_request_seconds_count{{{labels}}} {}",
                r.count
            );
        }
        drop(requests);
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        let mut last_family = "";
        for ((family, label), count) in events.iter() {
            if *family != last_family {
                let _ = writeln!(out, "# TYPE {family} counter");
                last_family = family;
            }
            let _ = writeln!(out, "{family}{{kind=\"{label}\"}} {count}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.request("POST", "/v1/analyse", 200, 0.0008);
        m.request("POST", "/v1/analyse", 200, 0.02);
        m.event("tact_incidents_total", "abuse");
        let text = m.render();
        assert!(text.contains(
            "tact_http_requests_total{method=\"POST\",route=\"/v1/analyse\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 1"));
        assert!(text.contains("le=\"+Inf\"} 2"));
        assert!(text.contains("tact_incidents_total{kind=\"abuse\"} 1"));
    }
}
