//! What each subcommand does.

use crate::format::format_minor;
use crate::people::person_id;
use crate::progress::bar;
use crate::{Command, Period, RollupsAction, SecretAction, UsersAction};
use marketdesk_core::doctor::{self, Verdict};
use marketdesk_core::domain::Timestamp;
use marketdesk_core::secrets;
use marketdesk_core::seed::{self, SeedOptions, SeedProgress};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::marketplace_reports::{ReportKind, ReportQuery};
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::report_table::{ColumnKind, ReportTable, ReportValue};
use marketdesk_core::store::reports::RevenueQuery;
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub async fn run(url: Option<&str>, command: Command) -> Result<ExitCode> {
    // Only commands that work on a database resolve (and may create) one.
    let loc = || location::resolve(url);
    match command {
        Command::Secret { action } => secret_cmd(action),
        Command::SignIn { server, user, remember, forget } => sign_in_cmd(&server, &user, remember, forget).await,
        Command::Migrate => migrate(&loc()?).await,
        Command::Seed { orders, seed, end, reset } => seed_cmd(&loc()?, orders, seed, end, reset).await,
        Command::Doctor { json } => doctor_cmd(&loc()?, json).await,
        Command::Overview => overview(&loc()?).await,
        Command::Users { action: UsersAction::EnableLogin { username } } => enable_login(&loc()?, &username).await,
        Command::Rollups { action: RollupsAction::Rebuild } => rebuild_rollups(&loc()?).await,
        Command::Payouts { action } => crate::payouts::run(&loc()?, action).await,
        Command::Stripe { action } => crate::stripe::run(&loc()?, action).await,
        Command::Plans { action } => crate::plans::run(&loc()?, action).await,
        Command::Worker { webhook_listen, poll_every, r#as } => {
            crate::stripe::worker(&loc()?, webhook_listen, poll_every, r#as.as_deref()).await
        }
        Command::Export { format, out, currency, from, to } => {
            check_request(from, to, Some(&out))?;
            export_ledger(&loc()?, &format, &out, currency.as_deref(), from, to).await
        }
        Command::Report { kind, period: Period { from, to, currency }, grain, vendor, out, format } => {
            check_request(Some(from), Some(to), out.as_deref())?;
            let kind = ReportKind::parse(&kind).ok_or_else(|| {
                format!("no report “{kind}”: choose commissions, orders, products, payouts, users or subscriptions")
            })?;
            let grain = serde_json::from_value(serde_json::Value::String(grain.clone()))
                .map_err(|_| format!("--grain {grain}: choose day, week, month or quarter"))?;
            let scope =
                RevenueQuery { from, to, currency: currency.parse()?, grain, vendor_id: vendor, category_id: None };
            let query = ReportQuery { kind, scope };
            report_cmd(&loc()?, &query, out.as_deref(), &format).await
        }
        Command::Statement { vendor, period: Period { from, to, currency }, out } => {
            check_request(Some(from), Some(to), Some(&out))?;
            statement_cmd(&loc()?, &vendor, from, to, &currency, &out).await
        }
    }
}

/// Refuses, before any work starts, a period that starts after it ends and an
/// `--out` that cannot be a file (a folder, or in a folder that does not exist).
/// The core checks both again (the desktop gets the same rules).
fn check_request(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    out: Option<&std::path::Path>,
) -> Result<()> {
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(format!("--from {from} is after --to {to}").into());
    }
    if let Some(out) = out {
        marketdesk_core::store::files::check_target(out)?;
    }
    Ok(())
}

fn export_format(name: &str) -> Result<marketdesk_core::store::exports::ExportFormat> {
    use marketdesk_core::store::exports::ExportFormat;
    match name.to_ascii_lowercase().as_str() {
        "csv" => Ok(ExportFormat::Csv),
        "xlsx" => Ok(ExportFormat::Xlsx),
        other => Err(format!("--format {other}: choose csv or xlsx").into()),
    }
}

async fn report_cmd(
    loc: &Location,
    query: &ReportQuery,
    out: Option<&std::path::Path>,
    format: &str,
) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    if let Some(out) = out {
        let summary = store.export_report(query, export_format(format)?, out, None).await?;
        println!("Wrote {} rows to {}.", summary.rows, summary.path);
    } else {
        let table = store.run_report(query).await?;
        print!("{}", render_table(&table));
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn statement_cmd(
    loc: &Location,
    vendor: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    currency: &str,
    out: &std::path::Path,
) -> Result<ExitCode> {
    use marketdesk_core::store::statements::StatementQuery;
    let store = location::open(loc, false).await?;
    let vendor_id = person_id(&store, vendor).await?;
    let query = StatementQuery { vendor_id, currency: currency.parse()?, from, to };
    let summary = store.export_vendor_statement(&query, out, None).await?;
    println!("Wrote the statement ({} movements) to {}.", summary.rows, summary.path);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The table as aligned text, numbers right-aligned, totals under a rule.
fn render_table(t: &ReportTable) -> String {
    let text = |kind: ColumnKind, v: &Option<ReportValue>| match (kind, v) {
        (_, None) => String::new(),
        (_, Some(ReportValue::Text(s))) => s.clone(),
        (ColumnKind::Money, Some(ReportValue::Int(n))) => rust_decimal::Decimal::new(*n, 2).to_string(),
        (ColumnKind::Percent, Some(ReportValue::Int(n))) => format!("{}%", rust_decimal::Decimal::new(*n, 2)),
        (_, Some(ReportValue::Int(n))) => n.to_string(),
    };
    let lines: Vec<Vec<String>> = t
        .rows
        .iter()
        .chain(t.totals.iter())
        .map(|r| t.columns.iter().zip(r).map(|(c, v)| text(c.kind, v)).collect())
        .collect();
    let widths: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| lines.iter().map(|l| l[i].chars().count()).chain([c.label.chars().count()]).max().unwrap_or(0))
        .collect();
    let format_line = |cells: Vec<String>| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&t.columns)
            .zip(&widths)
            .map(|((s, c), w)| if c.kind == ColumnKind::Text { format!("{s:<w$}") } else { format!("{s:>w$}") })
            .collect();
        parts.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = format!("{}{}\n", t.title, t.currency.map(|c| format!(" ({c})")).unwrap_or_default());
    out += &format_line(t.columns.iter().map(|c| c.label.clone()).collect());
    let n = t.rows.len();
    for (i, l) in lines.into_iter().enumerate() {
        if i == n {
            out += &"-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1));
            out += "\n";
        }
        out += &format_line(l);
    }
    if t.rows.is_empty() {
        out += "(nothing in this range)\n";
    }
    out
}

async fn export_ledger(
    loc: &Location,
    format: &str,
    out: &std::path::Path,
    currency: Option<&str>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<ExitCode> {
    use marketdesk_core::store::ledger::LedgerFilter;
    let format = export_format(format)?;
    let day = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| Timestamp::from(t.and_utc()));
    let filter = LedgerFilter {
        currency: currency.map(str::parse).transpose()?,
        from: from.and_then(day),
        to: to.and_then(day),
        ..LedgerFilter::default()
    };
    let store = location::open(loc, false).await?;
    let started = Instant::now();
    let progress = bar(0, "exporting", "rows");
    crate::interrupt::catch();
    let summary = store
        .export_ledger(&filter, format, out, None, |rows| {
            progress.set_position(rows);
            !crate::interrupt::interrupted()
        })
        .await;
    crate::interrupt::release();
    progress.finish_and_clear();
    let summary = summary?;
    if summary.cancelled {
        eprintln!(
            "Interrupted after {} ledger rows: no file was left, and the run is recorded as cancelled.",
            summary.rows
        );
        store.close().await;
        return Ok(ExitCode::from(130));
    }
    println!("Wrote {} ledger rows to {} in {:.1} s.", summary.rows, summary.path, started.elapsed().as_secs_f64());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn rebuild_rollups(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let started = std::time::Instant::now();
    let rows = store.rebuild_sales_rollups().await?;
    println!("Rebuilt the sales rollups: {rows} rows in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

async fn migrate(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, true).await?;
    store.check_may_migrate().await?;
    let status = store.schema_status().await?;
    if let Some(problem) = status.blocking_problem() {
        return Err(problem.into());
    }
    if status.pending.is_empty() {
        println!("{} at {} is up to date (schema version {}).", store.engine(), loc.url, status.known);
        return Ok(ExitCode::SUCCESS);
    }
    let progress = bar(status.pending.len() as u64, "migrating", "migrations");
    let applied = store
        .migrate(|step| {
            progress.set_position(step.done as u64);
            progress.println(format!("  applied {} {}", step.version, step.description));
        })
        .await;
    progress.finish_and_clear();
    let applied = applied?;
    println!("{} at {}: applied {applied} migration(s); schema version {}.", store.engine(), loc.url, status.known);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn seed_cmd(
    loc: &Location,
    orders: u64,
    seed_value: u64,
    end: Option<chrono::NaiveDate>,
    reset: bool,
) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let mut options = SeedOptions::new(orders);
    options.seed = seed_value;
    options.reset = reset;
    if let Some(day) = end {
        let midnight = day.and_hms_opt(0, 0, 0).ok_or("--end is not a day")?.and_utc();
        options.end = Timestamp::from(midnight);
    }
    let started = Instant::now();
    let progress = bar(orders, "seeding", "orders");
    let report = seed::seed(&store, &options, |p| match p {
        SeedProgress::Resetting => progress.set_message("clearing"),
        SeedProgress::CatalogWritten => progress.set_message("seeding"),
        SeedProgress::Orders { done, .. } => progress.set_position(done),
        SeedProgress::Committing => progress.set_message("committing"),
    })
    .await;
    progress.finish_and_clear();
    let report = report?;
    let secs = started.elapsed().as_secs_f64();
    let rows = report.total_rows();
    println!(
        "Seeded {} at {}: {} orders, {rows} rows in {secs:.1} s ({:.0} rows/s).",
        store.engine(),
        loc.url,
        report.rows_of("orders"),
        rows as f64 / secs.max(0.001)
    );
    for (table, n) in report.rows.iter().filter(|(_, n)| *n > 0) {
        println!("  {table:<26} {n:>10}");
    }
    println!("\nDemo sign-ins (password: {}):", report.password);
    for login in &report.logins {
        println!("  {:<10} {:<28} username {}", login.role.as_str(), login.email, login.username);
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn sign_in_cmd(server: &str, user: &str, remember: bool, forget: bool) -> Result<ExitCode> {
    use marketdesk_core::identity::{self, Backoff};
    if forget {
        identity::forget_password(server, user)?;
        println!("Forgot the password of {user}.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut typed = String::new();
    std::io::stdin().read_line(&mut typed)?;
    let typed = typed.trim_end_matches(['\n', '\r']).to_owned();
    let password = if typed.is_empty() {
        identity::remembered_password(server, user)?.ok_or("no password given and none remembered for this sign-in")?
    } else {
        typed
    };
    let session = identity::sign_in_online(server, user, &password, None, &mut Backoff::default()).await?;
    if remember {
        identity::remember_password(server, user, &password)?;
    }
    let me = &session.me;
    println!("Signed in as {} ({}, {}).", me.display_name, me.role.as_str(), me.email);
    if me.must_change_password {
        println!("You must choose a new password before working in Marketdesk.");
    }
    session.store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn integration(id: &str) -> Result<&'static secrets::Integration> {
    secrets::integration(id).ok_or_else(|| {
        let known: Vec<&str> = secrets::INTEGRATIONS.iter().map(|i| i.id).collect();
        format!("no integration called “{id}”; known: {}", known.join(", ")).into()
    })
}

fn secret_cmd(action: SecretAction) -> Result<ExitCode> {
    match action {
        SecretAction::Set { integration: id } => {
            let i = integration(&id)?;
            let mut key = String::new();
            std::io::stdin().read_line(&mut key)?;
            if key.trim().is_empty() {
                return Err(format!("no key on standard input for {}", i.name).into());
            }
            let key = i.check_key(&key)?;
            secrets::set(i.account, &key)?;
            println!("{} key filed in the keychain.", i.name);
        }
        SecretAction::Delete { integration: id } => {
            let i = integration(&id)?;
            secrets::delete(i.account)?;
            println!("{} key removed from the keychain.", i.name);
        }
        SecretAction::List => {
            for i in secrets::INTEGRATIONS {
                let state = match secrets::get(i.account)? {
                    Some(_) => "configured",
                    None => "not configured",
                };
                println!("{:<20} {state}", i.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn enable_login(loc: &Location, username: &str) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let pool =
        store.pg_pool().ok_or("sign-ins exist only on a central PostgreSQL; pass --database-url postgres://…")?;
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    let role: Option<String> =
        sqlx::query_scalar("SELECT md_enable_login(id, $1) FROM users WHERE username = $2 AND deleted_at IS NULL")
            .bind(password)
            .bind(username.trim())
            .fetch_optional(pool)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(db) => db.message().to_owned(),
                other => other.to_string(),
            })?;
    let role = role.ok_or_else(|| format!("no user with the username “{username}”"))?;
    println!("{username} can now sign in (database role {role}).");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn doctor_cmd(loc: &Location, json: bool) -> Result<ExitCode> {
    if loc.is_default && !matches!(&loc.url, marketdesk_core::store::DatabaseUrl::Sqlite(p) if p.exists()) {
        // The default database is made on first use; doctor only looks.
        println!("note: the default database {} does not exist yet; `marketdesk migrate` creates it", loc.url);
    }
    let checks = doctor::diagnose(&loc.url).await;
    if json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        for c in &checks {
            let mark = match c.verdict {
                Verdict::Ok => "ok  ",
                Verdict::Warn => "warn",
                Verdict::Fail => "FAIL",
            };
            println!("{mark}  {:<20} {}", c.name, c.detail);
        }
    }
    let failed = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    if failed > 0 {
        eprintln!("error: {failed} problem(s) found; see the FAIL lines above");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

async fn overview(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    println!("Marketdesk — {} at {}", store.engine(), loc.url);
    for table in ["users", "products", "orders", "shipments", "payouts", "disputes"] {
        println!("  {table:<10} {:>10}", store.count_rows(table).await?);
    }
    let page = store
        .list_orders(
            &OrderFilter::default(),
            &PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 10 },
        )
        .await?;
    if page.items.is_empty() {
        println!("\nNo orders yet. Fill the database with demo data: marketdesk seed --orders 5000");
        return Ok(ExitCode::SUCCESS);
    }
    println!("\nNewest orders:");
    for o in &page.items {
        println!(
            "  {:<11} {:<19} {:<18} {:>12} {}  {}",
            o.number,
            o.placed_at.as_datetime().format("%Y-%m-%d %H:%M"),
            o.status.as_str(),
            format_minor(o.total_minor),
            o.currency,
            o.customer_email
        );
    }
    let logins = seed::demo_logins(&store).await?;
    if !logins.is_empty() {
        let names: Vec<&str> = logins.iter().map(|l| l.username.as_str()).collect();
        println!("\nDemo sign-ins (password: {}): {}", seed::DEMO_PASSWORD, names.join(", "));
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
