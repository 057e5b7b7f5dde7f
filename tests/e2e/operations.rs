//! Running it, as the signed-in admin sees it online: a worker has done one
//! tick against the central database (as cron runs `marketdesk worker
//! --once`), and the Jobs screen's Workers dialog names it with its round;
//! the Logs screen reads this desktop's own log file, warnings first, and
//! shows the app's start once the admin asks for info lines too; the
//! Dashboard shows the month's figures and the orders behind one.

use super::harness::{App, SECOND};
use super::open;
use super::webdriver::Session;
use marketdesk_test_support::marketdesk_bin;

/// The worker's heartbeat in Jobs, then this desktop's log lines in Logs.
pub async fn workers_and_logs(app: &App, s: &Session, owner_url: &str) -> Result<(), String> {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let worker = std::process::Command::new(marketdesk_bin())
        .args(["--database-url", owner_url, "worker", "--poll-every", "0", "--clock-every", "60", "--once"])
        .env("HOME", home.path())
        .env("MARKETDESK_LOG_DIR", home.path().join("logs"))
        .output()
        .map_err(|e| format!("the worker did not start: {e}"))?;
    if !worker.status.success() {
        return Err(format!("the worker's tick failed: {}", String::from_utf8_lossy(&worker.stderr)));
    }
    open(app, s, "jobs", "[data-testid=grid-jobs]", "59a-online-jobs").await?;
    let workers = s.wait_for("[data-testid=job-workers]", 10 * SECOND).await?;
    s.wait_for_text("[data-testid=job-workers]", "No worker running", 10 * SECOND).await?;
    s.click(&workers).await?;
    s.wait_for_text("[data-testid=worker-list]", "disputes.clock every 60 s", 10 * SECOND).await?;
    s.wait_for_text("[data-testid=worker-list]", "Stopped", SECOND).await?;
    app.shot(s, "59b-online-workers").await?;
    let close = s.wait_for("[role=dialog] [aria-label=Close]", SECOND).await?;
    s.click(&close).await?;
    super::dialogs_closed(s).await?;

    open(app, s, "logs", "[data-testid=grid-logs]", "59c-online-logs-warnings").await?;
    let info = s.wait_for("[data-testid=filter-log-level] option[value=info]", 5 * SECOND).await?;
    s.click(&info).await?;
    s.wait_for_text("[data-testid=grid-logs]", "Marketdesk started", 15 * SECOND).await?;
    s.wait_for_text("[data-testid=grid-logs]", "signed in", SECOND).await?;
    s.wait_for_text("[data-testid=log-folder]", "logs", SECOND).await?;
    app.shot(s, "59d-online-logs-info").await?;

    // The dashboard: this month's figures beside the month before, and the orders behind one.
    open(app, s, "dashboard", "[data-testid=metric-orders]", "59e-online-dashboard").await?;
    s.wait_for_text("[data-testid=analytics-setup]", "Off", 10 * SECOND).await?;
    let orders = s.wait_for("[data-testid=metric-orders]", SECOND).await?;
    s.click(&orders).await?;
    s.wait_for_text("[data-testid=drill-rows]", "MD-", 15 * SECOND).await?;
    app.shot(s, "59f-online-dashboard-orders").await?;
    Ok(())
}
