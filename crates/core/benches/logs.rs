//! `cargo xtask bench logs [--lines N]`: what scrubbing costs per log line,
//! beside formatting the same events as JSON lines (the work the file layer
//! does for every line anyway), in the same run. Nine lines in ten are
//! ordinary (ids, amounts, a UUID); one holds a key, an e-mail address, a
//! password in a URL or a card number.

use marketdesk_core::observability::scrub::scrub;
use std::hint::black_box;
use std::time::Instant;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn event(n: usize) -> serde_json::Value {
    let message = match n % 10 {
        0 => format!("Stripe refused sk_{}_51HxYzAbCdEf{n:04} for vendor{n}@example.com", "live"),
        5 => format!("cannot reach postgres://ann:pw{n}@db.internal/market; card 4242 4242 4242 4242 on order {n}"),
        _ => format!("order MD-2026-{n:06} paid: {} minor units of USD by 0199c000-0000-7000-8000-{n:012}", n * 37),
    };
    serde_json::json!({
        "timestamp": "2026-12-07T10:55:00.123456Z",
        "level": "INFO",
        "fields": { "message": message, "job": format!("0199c000-0000-7000-8000-{n:012}"), "attempt": 1 },
        "target": "marketdesk_core::jobs::runner",
    })
}

fn main() {
    let n = arg("--lines", 200_000);
    let events: Vec<serde_json::Value> = (0..n).map(event).collect();

    let started = Instant::now();
    let lines: Vec<String> = events.iter().map(|e| black_box(serde_json::to_string(e).unwrap())).collect();
    let format = started.elapsed();

    let started = Instant::now();
    let mut changed = 0usize;
    for line in &lines {
        if matches!(black_box(scrub(line)), std::borrow::Cow::Owned(_)) {
            changed += 1;
        }
    }
    let scrubbing = started.elapsed();

    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!("{n} log lines, {changed} of them scrubbed");
    println!("formatting as JSON (baseline): {:>12.0} lines/s", rate(format));
    println!("scrubbing:                     {:>12.0} lines/s", rate(scrubbing));
    println!(
        "scrubbing costs {:.2}× the JSON formatting of a line ({:.2} µs per line)",
        scrubbing.as_secs_f64() / format.as_secs_f64(),
        scrubbing.as_secs_f64() * 1e6 / n as f64
    );
    assert_eq!(
        changed,
        n / 10 * 2 + usize::from(n % 10 > 5) + usize::from(!n.is_multiple_of(10)),
        "every secret-bearing line"
    );
}
