//! `cargo xtask bench app`: the desktop app beside an empty Tauri window, both
//! started through tauri-driver under Xvfb in the same run.
//!
//! - start: process launch to the first interactive screen (Marketdesk: the
//!   sign-in form is on screen; baseline: the empty page has loaded);
//! - memory: PSS summed over the app and its WebKit processes, Marketdesk with
//!   the orders grid open (and scrolled) on 100,000 orders;
//! - filtering: the core answering a filtered/searched orders page through the
//!   IPC bridge, and the grid showing the result after typing in its search box.
//!
//! Printed as medians with ratios to the baseline. Not a test: nothing here
//! passes or fails on timing.

#[path = "../../tests/e2e/harness.rs"]
// Shared with the other of `tests/e2e` and `benches/app.rs`; each uses part of it.
#[allow(dead_code)]
mod harness;
#[path = "../../tests/e2e/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use harness::{App, SECOND, seed_demo};
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

const ORDERS: u64 = 100_000;
const RUNS: usize = 3;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-app");
    std::fs::create_dir_all(&cache).expect("cache dir");
    let db = cache.join(format!("orders-{ORDERS}.sqlite"));
    if !db.exists() {
        eprintln!("bench app: seeding {ORDERS} orders (once; kept in {})", cache.display());
        let partial = cache.join("partial.sqlite");
        let _ = std::fs::remove_file(&partial);
        seed_demo(&partial, ORDERS).await;
        std::fs::rename(&partial, &db).expect("keep the seeded database");
    }
    let app = App::launch(tempfile::tempdir().expect("temp dir"), db);
    let result = run(&app).await;
    app.stop().await;
    if let Err(e) = result {
        eprintln!("bench app failed: {e}");
        std::process::exit(1);
    }
}

struct Sample {
    start_ms: f64,
    pss_mib: f64,
}

async fn run(app: &App) -> Result<(), String> {
    let (mut empty, mut ours) = (Vec::new(), Vec::new());
    let mut core_filter: Vec<(String, Vec<f64>)> = Vec::new();
    let mut ui_filter = Vec::new();
    for round in 0..RUNS {
        eprintln!("bench app: round {} of {RUNS}", round + 1);
        empty.push(baseline(app).await?);
        let (sample, core, ui) = marketdesk(app).await?;
        ours.push(sample);
        for (name, ms) in core {
            match core_filter.iter_mut().find(|(n, _)| *n == name) {
                Some((_, all)) => all.push(ms),
                None => core_filter.push((name, vec![ms])),
            }
        }
        ui_filter.extend(ui);
    }
    let e_start = median(empty.iter().map(|s| s.start_ms).collect());
    let e_pss = median(empty.iter().map(|s| s.pss_mib).collect());
    let o_start = median(ours.iter().map(|s| s.start_ms).collect());
    let o_pss = median(ours.iter().map(|s| s.pss_mib).collect());
    let ui = median(ui_filter);
    println!("\nMarketdesk vs an empty Tauri window ({RUNS} rounds, medians; {ORDERS} orders)");
    println!("| measure | empty window | Marketdesk | ratio |");
    println!("|---|---|---|---|");
    println!("| start to first interactive screen | {e_start:.0} ms | {o_start:.0} ms | {:.2}× |", o_start / e_start);
    println!("| memory (PSS, app + WebKit processes) | {e_pss:.0} MiB | {o_pss:.0} MiB | {:.2}× |", o_pss / e_pss);
    for (name, all) in core_filter {
        println!("| filter orders in the core, IPC round trip: {name} | — | {:.1} ms | — |", median(all));
    }
    println!("| type in the grid's search → rows shown (incl. 250 ms debounce) | — | {ui:.0} ms | — |");
    Ok(())
}

async fn baseline(app: &App) -> Result<Sample, String> {
    let t0 = Instant::now();
    let s = app.session_with(&["--bench-empty-window"]).await?;
    let out = async {
        loop {
            if s.execute("return document.readyState", vec![]).await? == json!("complete") {
                break;
            }
            if t0.elapsed() > 30 * SECOND {
                return Err("the empty window never loaded".to_owned());
            }
        }
        let start_ms = t0.elapsed().as_secs_f64() * 1e3;
        tokio::time::sleep(2 * SECOND).await;
        Ok(Sample { start_ms, pss_mib: app.app_pss_kib() as f64 / 1024.0 })
    }
    .await;
    s.end().await?;
    out
}

const LIST_ORDERS: &str = r#"
const [search, statuses, done] = arguments;
const invoke = window.__TAURI_INTERNALS__.invoke;
const filter = { statuses, customer_id: null, vendor_id: null, placed_from: null, placed_to: null, search };
const page = { sort: 'placed_at', dir: 'desc', after: null, limit: 100 };
const t0 = performance.now();
invoke('list_orders', { filter, page }).then(
  (r) => done({ ms: performance.now() - t0, rows: r.items.length }),
  (e) => done({ error: String(e && e.message || e) }));
"#;

const TYPE_SEARCH: &str = r#"
const [text, done] = arguments;
const input = document.querySelector('[data-testid=grid-search], input[type=search]');
if (!input) { done({ error: 'no search box' }); return; }
const grid = document.querySelector('[data-testid=grid-orders]');
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const t0 = performance.now();
setter.call(input, text);
input.dispatchEvent(new Event('input', { bubbles: true }));
const check = () => {
  const rows = [...grid.querySelectorAll('[data-row-key]')];
  if (rows.length > 0 && rows.every((r) => r.innerText.includes(text))) {
    done({ ms: performance.now() - t0 });
  } else if (performance.now() - t0 > 10000) {
    done({ error: 'the grid never showed the search result' });
  } else {
    requestAnimationFrame(check);
  }
};
requestAnimationFrame(check);
"#;

type Timings = Vec<(String, f64)>;

async fn marketdesk(app: &App) -> Result<(Sample, Timings, Vec<f64>), String> {
    let t0 = Instant::now();
    let s = app.session().await?;
    let out = async {
        s.wait_for("[data-testid=login]", 30 * SECOND).await?;
        let start_ms = t0.elapsed().as_secs_f64() * 1e3;
        let login = s.wait_for("[data-testid=login]", SECOND).await?;
        s.type_into(&login, "admin@marketdesk.demo").await?;
        let pw = s.wait_for("[data-testid=password]", SECOND).await?;
        s.type_into(&pw, marketdesk_core::seed::DEMO_PASSWORD).await?;
        s.keys(&pw, "\u{E007}").await?;
        let nav = s.wait_for("[data-testid=nav-orders]", 20 * SECOND).await?;
        s.click(&nav).await?;
        s.wait_for("[data-testid=grid-orders] [data-row-key]", 20 * SECOND).await?;
        // Scroll through a few pages so the grid holds more than the first page.
        for _ in 0..5 {
            s.execute(
                "const b = document.querySelector('[data-testid=grid-orders] [tabindex]') || document.querySelector('[data-testid=grid-orders]'); \
                 const el = [b, ...b.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 10); \
                 if (el) el.scrollTop = el.scrollHeight;",
                vec![],
            )
            .await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        tokio::time::sleep(SECOND).await;
        let pss_mib = app.app_pss_kib() as f64 / 1024.0;

        let mut core = Vec::new();
        let cases: Vec<(serde_json::Value, serde_json::Value)> = vec![
            (json!("MD-0001"), json!([])),
            (json!("smith"), json!([])),
            (json!(null), json!(["shipped"])),
            (json!(null), json!(["paid", "processing"])),
            (json!("MD-00099"), json!(["delivered"])),
        ];
        for _ in 0..4 {
            for (search, statuses) in &cases {
                let v = s.execute_async(LIST_ORDERS, vec![search.clone(), statuses.clone()]).await?;
                if let Some(e) = v.get("error") {
                    return Err(format!("list_orders: {e}"));
                }
                core.push((format!("search {search}, statuses {statuses}"), v["ms"].as_f64().unwrap_or(f64::NAN)));
            }
        }
        let mut ui = Vec::new();
        for text in ["MD-00012", "MD-00034", "MD-00056"] {
            let v = s.execute_async(TYPE_SEARCH, vec![json!(text)]).await?;
            if let Some(e) = v.get("error") {
                return Err(format!("typing a search: {e}"));
            }
            ui.push(v["ms"].as_f64().unwrap_or(f64::NAN));
        }
        Ok((Sample { start_ms, pss_mib }, core, ui))
    }
    .await;
    s.end().await?;
    out
}
