//! End to end: the built desktop app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver as a person would use it. Signs in as each of the four roles,
//! opens each main screen, does one real action per role, checks what the screen
//! shows, and saves a PNG of every main screen under `target/e2e-screens/`.
//!
//! Needs `Xvfb`, `WebKitWebDriver` and `tauri-driver` (`cargo xtask setup`
//! installs them); without them the test fails and says what is missing.

// Shared with the other of `tests/e2e` and `benches/app.rs`; each uses part of it.
#[allow(dead_code)]
mod harness;
#[allow(dead_code)]
mod webdriver;

mod admin_orders;
mod bins;
mod customers;
mod disputes;
mod logistics;
mod manual_orders;
mod offline_sync;
mod onboarding;
mod operations;
mod packing;
mod product_flow;
mod vendor;

use harness::{App, SECOND, WORKSTATION};
use marketdesk_core::domain::{DocumentKind, PrintLanguage, PrinterConnection};
use marketdesk_core::store::printing::PrinterSpec;
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, PageRequest, SortDir, Store};
use marketdesk_test_support::printers::RawPrinter;
use marketdesk_test_support::stripe_fake::StripeFake;
use serde_json::json;

const PASSWORD: &str = marketdesk_core::seed::DEMO_PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_roles_work_through_the_app() {
    let app = App::start().await;
    let bench = Bench::set_up(&app).await;
    let result = run_all(&app, &bench).await;
    app.stop().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The packing bench the logistics person scans at: a raw 9100 label printer
/// (a listener in this test) as this workstation's default, and an order whose
/// parcels go by the local carrier to an address every check accepts.
struct Bench {
    raw: RawPrinter,
    order: String,
    parcels: Vec<uuid::Uuid>,
    /// A SKU in the order, for the bins.
    sku: String,
    /// A paid order with no parcel yet, packed at the bench.
    pack: String,
    db: std::path::PathBuf,
}

impl Bench {
    async fn set_up(app: &App) -> Bench {
        let db = app.db_path();
        let store = Store::open(&DatabaseUrl::sqlite(&db), &OpenOptions::default()).await.expect("open demo db");
        let raw = RawPrinter::start().await;
        let spec = PrinterSpec {
            name: "Bench Zebra".into(),
            connection: PrinterConnection::Socket,
            address: raw.address(),
            language: PrintLanguage::Zpl,
            dpi: Some(203),
        };
        let printing = marketdesk_core::logistics::printing::add_printer(&store, WORKSTATION, &spec, None);
        let printer = printing.await.expect("add the bench printer");
        marketdesk_core::logistics::printing::set_default_printer(&store, WORKSTATION, DocumentKind::Label, printer.id)
            .await
            .expect("default label printer");
        let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 1 };
        let first = store.list_shipments(&ShipmentFilter::default(), &page).await.expect("shipments");
        let order = first.items[0].order_number.clone();
        let mut parcels = Vec::new();
        let mut sku = String::new();
        for parcel in store.parcels_for_code(&order).await.expect("the order's parcels") {
            if sku.is_empty() {
                let (_, items) = store.packing_slip(parcel.id).await.expect("the parcel's slip");
                sku = items.first().map(|i| i.sku.clone()).unwrap_or_default();
            }
            marketdesk_test_support::parcels::ready(&store, parcel.id, "local", "courier").await;
            parcels.push(parcel.id);
        }
        // Something at everyone's bell: the admin's announcement.
        let (admin, _) = store.user_for_login("admin@marketdesk.demo").await.expect("admin").expect("the demo admin");
        marketdesk_core::notifications::send::announce(
            &store,
            admin.id,
            admin.role,
            marketdesk_core::notifications::Audience::Everyone,
            "Stocktake on Friday",
            "Count the shelves before noon.",
        )
        .await
        .expect("announce");
        let pack = packing::order_to_pack(&store).await;
        store.close().await;
        Bench { raw, order, parcels, sku, pack, db }
    }
}

async fn run_all(app: &App, bench: &Bench) -> Result<(), String> {
    let s = app.session().await?;
    let outcome = async {
        // The sign-in screen, and a wrong password refused with the core's message.
        s.wait_for("[data-testid=login]", 20 * SECOND).await?;
        app.shot(&s, "00-sign-in").await?;
        sign_in(&s, "admin@marketdesk.demo", "not-the-password").await?;
        s.wait_for_text("[data-testid=sign-in-error]", "wrong sign-in name or password", 10 * SECOND).await?;

        choose_server(app, &s).await?;
        capability_holds(&s).await?;
        admin(app, &s, bench).await?;
        vendor::work_through_the_app(app, &s).await?;
        product_flow::reviewed(app, &s).await?;
        disputes::worked_through(app, &s).await?;
        customers::record_read(app, &s).await?;
        logistics::logistics(app, &s, bench).await?;
        finance(app, &s).await?;
        Ok::<(), String>(())
    }
    .await;
    let ended = s.end().await;
    outcome.and(ended)
}

/// On the sign-in screen: a server where none answers is said so, saving it
/// waits for a restart, and emptying the address goes back to this computer alone.
async fn choose_server(app: &App, s: &webdriver::Session) -> Result<(), String> {
    s.wait_for_text("[data-testid=server]", "none: this computer only", 10 * SECOND).await?;
    let change = s.wait_for("[data-testid=change-server]", 5 * SECOND).await?;
    s.click(&change).await?;
    let address = s.wait_for("[data-testid=server-address]", 5 * SECOND).await?;
    s.type_into(&address, "postgres://127.0.0.1:1/marketplace").await?;
    // Enabled once the typed address has reached the field (a busy machine lags).
    let check = s.wait_for("[data-testid=server-check]:not([disabled])", 10 * SECOND).await?;
    s.click(&check).await?;
    s.wait_for_text("[role=dialog]", "No server answers there", 20 * SECOND).await?;
    let save = s.wait_for("[data-testid=server-save]", SECOND).await?;
    s.click(&save).await?;
    s.wait_for_text("[data-testid=restart-needed]", "signs in to postgres://127.0.0.1:1/marketplace", 10 * SECOND)
        .await?;
    app.shot(s, "01-sign-in-server-saved").await?;
    let change = s.wait_for("[data-testid=change-server]", SECOND).await?;
    s.click(&change).await?;
    let address = s.wait_for("[data-testid=server-address]", 5 * SECOND).await?;
    // Backspace to the start, then Enter, as a person empties the field (the
    // caret goes to the end of the text when keys are sent).
    s.keys(&address, &format!("{}\u{E007}", "\u{E003}".repeat(40))).await?;
    dialogs_closed(s).await?;
    if !s.find_all("[data-testid=restart-needed]").await?.is_empty() {
        return Err("emptying the server address left a restart waiting".into());
    }
    Ok(())
}

/// Waits until no dialog is open any more (closing ones animate out, and the
/// page behind them takes no input until they are gone).
async fn dialogs_closed(s: &webdriver::Session) -> Result<(), String> {
    wait_gone(s, "[role=dialog], [role=alertdialog]").await
}

/// Waits until nothing matches `css`.
async fn wait_gone(s: &webdriver::Session, css: &str) -> Result<(), String> {
    for _ in 0..50 {
        if s.find_all(css).await?.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("{css} stayed on screen"))
}

/// The window may call the commands its capability grants and nothing else:
/// an OS plugin command it was not granted is refused by Tauri itself.
async fn capability_holds(s: &webdriver::Session) -> Result<(), String> {
    let call = "const [cmd, done] = arguments; \
                window.__TAURI_INTERNALS__.invoke(cmd, {}).then(() => done('ok'), (e) => done('refused: ' + String(e)));";
    let granted = s.execute_async(call, vec![json!("app_info")]).await?;
    if granted != json!("ok") {
        return Err(format!("a granted command failed: {granted}"));
    }
    for cmd in ["plugin:updater|check", "plugin:updater|download_and_install", "plugin:window|close"] {
        let v = s.execute_async(call, vec![json!(cmd)]).await?;
        let text = v.as_str().unwrap_or_default();
        if !text.starts_with("refused") || !text.contains("not allowed") {
            return Err(format!("{cmd} was not refused by the capability: {v}"));
        }
    }
    Ok(())
}

async fn sign_in(s: &webdriver::Session, login: &str, password: &str) -> Result<(), String> {
    let l = s.wait_for("[data-testid=login]", 10 * SECOND).await?;
    s.type_into(&l, login).await?;
    let p = s.wait_for("[data-testid=password]", SECOND).await?;
    s.type_into(&p, password).await?;
    s.keys(&p, "\u{E007}").await
}

async fn sign_out(s: &webdriver::Session) -> Result<(), String> {
    s.click_on("[data-testid=sign-out]", 5 * SECOND).await?;
    s.wait_for("[data-testid=login]", 10 * SECOND).await.map(|_| ())
}

/// Opens the screen behind nav link `name`, waits for `ready`, saves a screenshot.
async fn open(app: &App, s: &webdriver::Session, name: &str, ready: &str, shot: &str) -> Result<(), String> {
    s.click_on(&format!("[data-testid=nav-{name}]"), 10 * SECOND).await?;
    s.wait_for(ready, 20 * SECOND).await?;
    app.shot(s, shot).await
}

/// The navigation links the signed-in role sees.
async fn nav(s: &webdriver::Session) -> Result<Vec<String>, String> {
    let v = s
        .execute(
            "return [...document.querySelectorAll('[data-testid^=nav-]')].map(e => e.dataset.testid.slice(4));",
            vec![],
        )
        .await?;
    Ok(v.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_owned)).collect())
}

async fn admin(app: &App, s: &webdriver::Session, bench: &Bench) -> Result<(), String> {
    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    s.wait_for_text("[data-testid=user-name]", "Alex Admin", 20 * SECOND).await?;
    let links = nav(s).await?;
    for expected in ["orders", "approvals", "users", "disputes", "settings", "shipping", "audit", "outbox"] {
        if !links.iter().any(|l| l == expected) {
            return Err(format!("admin navigation lacks {expected}: {links:?}"));
        }
    }
    open(app, s, "orders", "[data-testid=grid-orders] [data-row-key]", "10-admin-orders").await?;
    admin_orders::cancel_a_paid_order(app, s, &[&bench.order, &bench.pack]).await?;
    open(app, s, "users", "[data-testid=grid-users] [data-row-key]", "11-admin-users").await?;
    open(app, s, "disputes", "[data-testid=grid-disputes] [data-row-key]", "12-admin-disputes").await?;
    open(app, s, "settings", "[data-testid=settings]", "13-admin-settings").await?;
    open(app, s, "audit", "[data-testid=grid-audit]", "16-admin-audit").await?;
    open(app, s, "outbox", "[data-testid=outbox]", "17-admin-outbox").await?;
    // The seed's zones, in the order they are tried, with their rate tables.
    open(app, s, "shipping", "[data-testid=zone-row]", "36-admin-shipping").await?;
    s.wait_for("[data-testid=rate-row]", 10 * SECOND).await?;

    // The real action: approve the first product waiting for review.
    open(app, s, "approvals", "[data-testid=grid-approvals] [data-row-key]", "14-admin-approvals").await?;
    let before = s.find_all("[data-testid=grid-approvals] [data-row-key]").await?.len();
    let first = s.wait_for("[data-testid=grid-approvals] [data-row-key]", SECOND).await?;
    let name = s.text_of("[data-testid=grid-approvals] [data-row-key] [data-col=name]").await?;
    s.click(&first).await?;
    // Pressed by keyboard: the cancellation's toast can still lie over the panel's footer.
    let approve = s.wait_for("[data-testid=approve]", 5 * SECOND).await?;
    s.keys(&approve, "\u{E007}").await?;
    let confirm = s.wait_for("[data-testid=confirm]", 5 * SECOND).await?;
    s.keys(&confirm, "\u{E007}").await?;
    if let Err(e) = s.wait_for_text("[data-testid=toast]", "approved", 10 * SECOND).await {
        let page = s.text_of("body").await.unwrap_or_default();
        return Err(format!("{e}; the page says: {}", page.chars().take(1500).collect::<String>()));
    }
    // The approved product leaves the queue.
    let gone = s
        .execute(
            "return ![...document.querySelectorAll('[data-testid=grid-approvals] [data-col=name]')].some(e => e.innerText === arguments[0]);",
            vec![json!(name)],
        )
        .await?;
    if gone != json!(true) {
        return Err(format!("“{name}” is still in the approval queue ({before} rows before)"));
    }
    app.shot(s, "15-admin-approved").await?;

    // This computer's FedEx key goes to the keychain (kernel keyutils here, whose
    // per-user persistent keyring may still hold one from an earlier run).
    let menu = s.wait_for("[data-testid=user-menu]", SECOND).await?;
    s.click(&menu).await?;
    let item = s.wait_for("[data-testid=this-computer]", 5 * SECOND).await?;
    s.click(&item).await?;
    let set = s.wait_for("[data-testid=key-set-fedex]", 10 * SECOND).await?;
    s.click(&set).await?;
    let input = s.wait_for("[data-testid=key-input]", 5 * SECOND).await?;
    s.type_into(&input, "fedex-e2e-secret-7781").await?;
    s.keys(&input, "\u{E007}").await?;
    s.wait_for_text("[data-testid=key-fedex]", "In keychain", 10 * SECOND).await?;
    app.shot(s, "18-admin-this-computer").await?;
    let shown = s.execute("return document.body.innerText.includes('fedex-e2e-secret-7781');", vec![]).await?;
    if shown != json!(false) {
        return Err("the FedEx key is shown after it was saved".into());
    }
    // Removed again, after asking. Pressed by keyboard: the "saved" toast can
    // lie over these buttons, where a click would land on the toast.
    let remove = s.wait_for("[data-testid=key-remove-fedex]", SECOND).await?;
    s.keys(&remove, "\u{E007}").await?;
    let confirm = s.wait_for("[data-testid=confirm]", 5 * SECOND).await?;
    s.keys(&confirm, "\u{E007}").await?;
    if let Err(e) = s.wait_for_text("[data-testid=key-fedex]", "Not set", 10 * SECOND).await {
        let page = s.execute("return document.body.innerText;", vec![]).await?;
        return Err(format!("the FedEx key was not removed: {e}; the page reads: {page}"));
    }
    wait_gone(s, "[role=alertdialog]").await?;
    let set = s.wait_for("[data-testid=key-set-fedex]", SECOND).await?;
    s.keys(&set, "\u{E00C}").await?;
    dialogs_closed(s).await?;
    sign_out(s).await
}

async fn finance(app: &App, s: &webdriver::Session) -> Result<(), String> {
    sign_in(s, "finance@marketdesk.demo", PASSWORD).await?;
    s.wait_for("[data-testid=user-name]", 20 * SECOND).await?;
    open(app, s, "revenue", "[data-testid=revenue-table] [data-period]", "40-finance-revenue").await?;
    open(app, s, "payouts", "[data-testid=grid-payouts] [data-row-key]", "41-finance-payouts").await?;

    // The real action: filter the revenue report by quarter and check the rows follow.
    open(app, s, "revenue", "[data-testid=revenue-table] [data-period]", "40-finance-revenue").await?;
    let total_before = s.text_of("[data-testid=revenue-total-gross]").await?;
    let grain = s.wait_for("[data-testid=revenue-grain]", SECOND).await?;
    s.click(&grain).await?;
    let quarter = s.wait_for("[data-testid=revenue-grain-quarter]", 5 * SECOND).await?;
    s.click(&quarter).await?;
    s.wait_for_text("[data-testid=revenue-table] [data-period]", "-Q", 10 * SECOND).await?;
    let periods = s
        .execute("return [...document.querySelectorAll('[data-testid=revenue-table] [data-period]')].map(e => e.dataset.period);", vec![])
        .await?;
    let periods: Vec<&str> = periods.as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
    if periods.is_empty() || !periods.iter().all(|p| p.contains("-Q")) {
        return Err(format!("quarterly report shows periods {periods:?}"));
    }
    // Same range, other grouping: the total is unchanged.
    let total_after = s.text_of("[data-testid=revenue-total-gross]").await?;
    if total_after != total_before {
        return Err(format!("total changed with the grouping: {total_before} → {total_after}"));
    }
    app.shot(s, "42-finance-revenue-quarterly").await?;

    // Reports: commissions by vendor for the last year, with its totals; then the
    // payout reconciliation, exported as CSV into the Downloads folder.
    open(app, s, "reports", "[data-testid=report-table] [data-testid=report-row]", "43-finance-reports").await?;
    let total = s.text_of("[data-testid=report-total-row]").await?;
    if !total.contains("Total") || !total.contains('$') {
        return Err(format!("the commissions total row reads {total:?}"));
    }
    let payouts = s.wait_for("[data-testid=report-kind-payouts]", SECOND).await?;
    s.click(&payouts).await?;
    s.wait_for_text("[data-testid=report-title]", "Payout reconciliation", 10 * SECOND).await?;
    s.wait_for("[data-testid=report-table] [data-testid=report-row]", 10 * SECOND).await?;
    let export = s.wait_for("[data-testid=report-export-csv]", SECOND).await?;
    s.click(&export).await?;
    s.wait_for_text("[data-testid=report-export-path]", ".csv", 20 * SECOND).await?;
    app.shot(s, "44-finance-payout-reconciliation").await?;

    // The whole ledger as CSV, through the export that reports its progress.
    open(app, s, "ledger", "[data-testid=grid-ledger] [data-row-key]", "45-finance-ledger").await?;
    let export = s.wait_for("[data-testid=export-csv]", SECOND).await?;
    s.click(&export).await?;
    let done = s.wait_for_text("[data-testid=toast]", "entries to", 60 * SECOND).await?;
    if !done.contains("Exported") || !done.contains(".csv") {
        return Err(format!("the ledger export said {done:?}"));
    }
    sign_out(s).await
}

/// The password the admin signs in to the central server with.
const ADMIN_PASSWORD: &str = "admin-password-e2e";

/// Online, against a private PostgreSQL cluster with password authentication:
/// an admin invites a vendor from the Users screen and sees the invitation in
/// the outbox; the invitee signs in with the mailed one-time code, is asked for
/// their own password at once and chooses it; then the new password signs in
/// and the code no longer does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_person_signs_in_with_the_code_and_chooses_a_password() {
    use sqlx::Connection;
    let (cluster, owner_url, app, local_path, stripe) = central_and_desk(200).await;
    let mut owner = sqlx::PgConnection::connect(&owner_url).await.unwrap();
    let result = invitation(&app, &mut owner, &cluster, &local_path, &stripe).await;
    app.stop().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A private cluster seeded with `orders` orders and the admin's login
/// enabled (ADMIN_PASSWORD), and the app launched beside it with an empty
/// local copy and Stripe pointed at a local fake: the cluster, its owner's
/// URL, the app, the copy's path and the fake.
async fn central_and_desk(
    orders: u64,
) -> (marketdesk_test_support::PrivateCluster, String, App, std::path::PathBuf, StripeFake) {
    use marketdesk_core::seed::{SeedOptions, seed};
    use sqlx::Connection;
    let cluster = marketdesk_test_support::PrivateCluster::start();
    let owner_url = cluster.url(&cluster.password, "postgres");
    let central = Store::open(&DatabaseUrl::parse(&owner_url).unwrap(), &OpenOptions::default()).await.unwrap();
    central.migrate(|_| {}).await.unwrap();
    seed(&central, &SeedOptions::new(orders), |_| {}).await.unwrap();
    central.close().await;
    let mut owner = sqlx::PgConnection::connect(&owner_url).await.unwrap();
    sqlx::query("SELECT md_enable_login(id, $1) FROM users WHERE username = 'admin'")
        .bind(ADMIN_PASSWORD)
        .execute(&mut owner)
        .await
        .unwrap();
    // The desktop's local copy starts empty; sign-ins leave their verifiers there.
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.sqlite");
    let store = Store::open(&DatabaseUrl::sqlite(&local), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    store.close().await;
    let server = format!("postgres://127.0.0.1:{}/postgres", cluster.port);
    let stripe = StripeFake::start(std::time::Duration::ZERO).await;
    let env = [
        ("MARKETDESK_STRIPE_API", stripe.server.uri()),
        ("MARKETDESK_STRIPE_SECRET_KEY", "sk_test_marketdesk".to_owned()),
    ];
    let app = App::launch_with_env(dir, local.clone(), Some(&server), &env);
    (cluster, owner_url, app, local, stripe)
}

async fn invitation(
    app: &App,
    owner: &mut sqlx::PgConnection,
    cluster: &marketdesk_test_support::PrivateCluster,
    local: &std::path::Path,
    stripe: &StripeFake,
) -> Result<(), String> {
    let s = app.session().await?;
    let outcome = async {
        sign_in(&s, "admin", ADMIN_PASSWORD).await?;
        s.wait_for_text("[data-testid=user-name]", "Alex Admin", 30 * SECOND).await?;
        open(app, &s, "users", "[data-testid=grid-users] [data-row-key]", "50-online-users").await?;
        s.click_on("[data-testid=invite]:not([disabled])", 10 * SECOND).await?;
        let email = s.wait_for("[data-testid=invite-email]", 5 * SECOND).await?;
        s.type_into(&email, "nora@fjordshop.example").await?;
        let name = s.wait_for("[data-testid=invite-name]", SECOND).await?;
        s.type_into(&name, "Nora Fjord").await?;
        app.shot(&s, "51-online-invite").await?;
        s.click_on("[data-testid=invite-submit]", 5 * SECOND).await?;
        s.wait_for_text("[data-testid=toast]", "Nora Fjord invited", 20 * SECOND).await?;

        // The admin finds the invitation in the outbox; its code is what Nora got.
        open(app, &s, "outbox", "[data-testid=grid-outbox] [data-row-key]", "52-online-outbox").await?;
        s.wait_for_text("[data-testid=grid-outbox]", "nora@fjordshop.example", 10 * SECOND).await?;
        let body: String = sqlx::query_scalar("SELECT body_text FROM email_outbox WHERE to_address = $1")
            .bind("nora@fjordshop.example")
            .fetch_one(&mut *owner)
            .await
            .map_err(|e| format!("the invitation mail: {e}"))?;
        let code = body
            .split_whitespace()
            .find(|w| w.len() == 19 && w.split('-').count() == 4 && w.split('-').all(|p| p.len() == 4))
            .ok_or_else(|| format!("no one-time code in the invitation: {body}"))?
            .to_owned();
        onboarding::recorded_and_invited(app, &s).await?;
        operations::workers_and_logs(app, &s, &cluster.url(&cluster.password, "postgres")).await?;
        manual_orders::taken_by_phone(app, &s, owner, &cluster.url(&cluster.password, "postgres"), stripe).await?;
        sign_out(&s).await?;

        // Nora's first sign-in: the code, then her own password, asked for at once.
        sign_in(&s, "nora", &code).await?;
        s.wait_for_text("[data-testid=user-name]", "Nora Fjord", 30 * SECOND).await?;
        s.wait_for_text("[role=dialog]", "Choose your password", 10 * SECOND).await?;
        // Until then the server grants her nothing else, and no screen tries.
        if !s.find_all("[data-testid=grid-products]").await?.is_empty() {
            return Err("an invitee who has not chosen a password is shown the products grid".into());
        }
        app.shot(&s, "53-online-first-sign-in").await?;
        let current = s.wait_for("[data-testid=current-password]", SECOND).await?;
        s.type_into(&current, &code).await?;
        let new = s.wait_for("[data-testid=new-password]", SECOND).await?;
        s.type_into(&new, "nora-own-password-42").await?;
        let repeat = s.wait_for("[data-testid=repeat-password]", SECOND).await?;
        s.type_into(&repeat, "nora-own-password-42").await?;
        s.keys(&repeat, "\u{E007}").await?;
        s.wait_for_text("[data-testid=toast]", "Password changed", 20 * SECOND).await?;
        let banner_gone =
            s.execute("return document.querySelector('[data-testid=choose-password]') === null;", vec![]).await?;
        if banner_gone != json!(true) {
            return Err("the temporary-password banner stayed after the change".into());
        }
        // Accepting the invitation granted the vendor's rights: her (empty) catalogue loads.
        s.wait_for_text("[data-testid=grid-products]", "No products yet", 20 * SECOND).await?;
        app.shot(&s, "54-online-password-chosen").await?;
        let (status, must_change): (String, bool) =
            sqlx::query_as("SELECT status, must_change_password FROM users WHERE username = 'nora'")
                .fetch_one(&mut *owner)
                .await
                .map_err(|e| format!("Nora's row: {e}"))?;
        if status != "active" || must_change {
            return Err(format!("after choosing a password Nora is {status}, must change: {must_change}"));
        }
        sign_out(&s).await?;

        // The new password signs in (remembered on this computer); the code no longer does.
        let l = s.wait_for("[data-testid=login]", 10 * SECOND).await?;
        s.type_into(&l, "nora").await?;
        s.click_on("[data-testid=remember]", 5 * SECOND).await?;
        let p = s.wait_for("[data-testid=password]", SECOND).await?;
        s.type_into(&p, "nora-own-password-42").await?;
        s.keys(&p, "\u{E007}").await?;
        s.wait_for_text("[data-testid=user-name]", "Nora Fjord", 30 * SECOND).await?;
        sign_out(&s).await?;
        sign_in(&s, "nora", &code).await?;
        s.wait_for_text("[data-testid=sign-in-error]", "wrong sign-in name or password", 20 * SECOND).await?;
        s.wait_for_text("[data-testid=encrypted]", "encrypted", SECOND).await?;

        // The server goes down. Nora signed in here online before, so she goes on
        // working on this computer's copy; a wrong password is still refused.
        cluster.stop();
        s.wait_for_text("[data-testid=remembered]", "This computer remembers nora", 5 * SECOND).await?;
        app.shot(&s, "55-remembered").await?;
        s.click_on("[data-testid=continue-remembered]", 5 * SECOND).await?;
        s.wait_for_text("[data-testid=user-name]", "Nora Fjord", 30 * SECOND).await?;
        s.wait_for_text("[data-testid=connection]", "Offline", 10 * SECOND).await?;
        s.wait_for_text("[data-testid=grid-products]", "No products yet", 20 * SECOND).await?;
        app.shot(&s, "56-offline-after-the-server-went-down").await?;
        sign_out(&s).await?;
        s.click_on("[data-testid=forget-remembered]", 5 * SECOND).await?;
        wait_gone(&s, "[data-testid=remembered]").await.map_err(|e| format!("after “Forget me”: {e}"))?;
        sign_in(&s, "nora", "not-her-password-at-all").await?;
        s.wait_for_text("[data-testid=sign-in-error]", "offline sign-in did not accept", 20 * SECOND).await?;
        app.shot(&s, "57-offline-wrong-password").await?;

        // The copy on disk (and its write-ahead log) shows none of it.
        for suffix in ["", "-wal"] {
            let file = format!("{}{suffix}", local.display());
            let Ok(bytes) = std::fs::read(&file) else { continue };
            if bytes.starts_with(b"SQLite format 3") {
                return Err(format!("{file} is a plain SQLite file"));
            }
            for needle in ["nora@fjordshop.example", "Nora Fjord", "admin@marketdesk.demo"] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    return Err(format!("{file} shows “{needle}”"));
                }
            }
        }
        Ok::<(), String>(())
    }
    .await;
    let ended = s.end().await;
    outcome.and(ended)
}
