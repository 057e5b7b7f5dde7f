//! Marketdesk desktop: the Tauri shell around `marketdesk-core`. It opens the
//! window, hands every command to the core, and forwards the core's events; it
//! holds no business logic of its own.

mod command_names;
pub mod commands;
pub mod error;
pub mod events;
pub mod live;
pub mod machine_config;
pub mod state;
pub mod sync_runner;

pub use command_names::COMMANDS;

use specta_typescript::Typescript;
use tauri_specta::{Builder, collect_commands, collect_events};

/// Every command and event the UI may use, for the invoke handler and for
/// generating `ui/src/bindings.ts`.
pub fn specta_builder() -> Builder<tauri::Wry> {
    use commands::*;
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            session::app_info,
            session::sign_in,
            session::current_user,
            session::connection,
            remember::sign_in_remembered,
            remember::forget_remembered,
            machine::integration_keys,
            machine::set_integration_key,
            machine::remove_integration_key,
            machine::server_setting,
            machine::set_server,
            machine::check_server,
            machine::restart_app,
            session::sign_out,
            session::lock_session,
            session::unlock_session,
            session::change_own_password,
            orders::list_orders,
            orders::order_detail,
            orders::set_order_status,
            orders::cancel_order,
            orders::order_timeline,
            orders::add_order_note,
            manual_orders::sellable_variants,
            manual_orders::quote_manual_order,
            manual_orders::take_manual_order,
            manual_orders::send_payment_link,
            notifications::notifications,
            notifications::unread_notifications,
            notifications::mark_notifications_read,
            notifications::mark_all_notifications_read,
            notifications::desktop_alerts,
            notifications::notification_preferences,
            notifications::set_notification_preference,
            notifications::reset_notification_preferences,
            notifications::announce_to,
            products::list_products,
            products::product_variants,
            products::review_product,
            stock::adjust_stock,
            stock::stock_reasons,
            stock::stock_history,
            catalog_files::import_catalog,
            catalog_files::export_catalog,
            bulk_edit::bulk_edit_products,
            product_images::product_images,
            product_images::add_product_image,
            product_images::set_product_image_alt,
            product_images::reorder_product_images,
            product_images::remove_product_image,
            product_images::product_image_original,
            reviews::list_reviews,
            reviews::review_counts,
            reviews::moderate_review,
            reviews::reply_to_review,
            dispute_files::post_dispute_message_with_files,
            dispute_files::open_dispute_file,
            dispute_files::save_dispute_file,
            product_editor::product_for_editing,
            product_editor::new_product,
            product_editor::category_choices,
            product_editor::product_variants_for_options,
            product_editor::check_product,
            product_editor::save_product,
            product_editor::product_step,
            product_editor::product_review_diff,
            categories::category_tree,
            categories::add_category,
            categories::change_category,
            users::list_users,
            vendors::list_vendors,
            jobs::list_jobs,
            jobs::job_queue_depth,
            jobs::job_workers,
            logs::read_logs,
            analytics::business_dashboard,
            analytics::dashboard_rows,
            analytics::analytics_events,
            analytics::analytics_status,
            analytics::set_analytics,
            jobs::retry_job,
            onboarding::list_vendor_applications,
            onboarding::vendor_application_counts,
            onboarding::vendor_application,
            onboarding::my_vendor_application,
            onboarding::record_vendor_application,
            onboarding::update_vendor_application,
            onboarding::take_vendor_application_step,
            vendor_documents::add_vendor_document,
            vendor_documents::open_vendor_document,
            vendor_documents::save_vendor_document,
            vendor_documents::review_vendor_document,
            vendors::vendor_suspension,
            vendors::set_vendor_suspended,
            vendors::vendor_profile,
            vendors::update_vendor_profile,
            users::set_user_active,
            users::invite_user,
            users::reset_user_password,
            shipments::list_shipments,
            shipments::shipment_destinations,
            shipping_setup::carrier_accounts,
            shipping_setup::save_carrier_account,
            packing::packing_plan,
            packing::pack_order,
            bins::variant_bins,
            bins::set_variant_bin,
            bins::apply_bin_sheet,
            day_close::close_shipping_day,
            day_close::day_closes,
            day_close::save_day_close_manifest,
            packing::package_presets,
            packing::add_package_preset,
            packing::retire_package_preset,
            shipments::set_shipment_status,
            shipments::save_shipping_label,
            printing::printer_setup,
            printing::add_printer,
            printing::remove_printer,
            printing::set_default_printer,
            printing::discover_printers,
            printing::print_test_page,
            printing::print_shipping_label,
            printing::reprint_job,
            printing::shipment_print_log,
            label_purchases::shipment_rates,
            label_purchases::choose_shipment_rate,
            warehouse::make_warehouse_sheet,
            shipping_setup::shipping_setup,
            shipping_setup::save_shipping_zone,
            shipping_setup::retire_shipping_zone,
            shipping_setup::save_shipping_method,
            shipping_setup::set_shipping_rate_table,
            label_purchases::buy_shipping_label,
            label_purchases::void_shipping_label,
            label_purchases::shipment_label_purchases,
            label_purchases::settle_label_purchase,
            label_purchases::shipment_tracking,
            label_purchases::hand_over_parcels,
            label_purchases::track_parcels_now,
            label_purchases::scan_parcels,
            label_purchases::buy_and_print_labels,
            label_purchases::cancel_label_batch,
            label_purchases::parcels_to_label,
            payouts::list_payouts,
            reports::revenue_report,
            customers::list_customers,
            customers::customer_profile,
            customers::add_customer_note,
            customers::set_customer_status,
            customers::change_customer_address,
            customers::export_customer_data,
            disputes::list_disputes,
            disputes::dispute_detail,
            disputes::open_dispute,
            disputes::take_dispute_step,
            disputes::post_dispute_message,
            disputes::assign_dispute,
            disputes::run_dispute_clock,
            disputes::due_dispute_refunds,
            disputes::refund_dispute,
            disputes::dispute_analytics,
            earnings::vendor_earnings,
            subscriptions::my_subscription,
            settings::platform_settings,
            updates::check_for_update,
            updates::install_update,
            audit::list_audit,
            outbox::list_outbox,
            payouts::vendor_balances,
            payouts::payout_preview,
            payouts::list_payout_batches,
            payouts::prepare_payout_batch,
            payouts::approve_payout_batch,
            payouts::cancel_payout_batch,
            payouts::execute_payout_batch,
            ledger::list_ledger,
            ledger::account_balances,
            ledger::export_ledger,
            ledger::cancel_export,
            refunds::refund_order,
            refunds::order_refunds,
            reports::run_report,
            reports::export_report,
            reports::saved_reports,
            reports::save_report,
            reports::delete_saved_report,
            reports::report_runs,
            payout_setup::connect_statuses,
            payout_setup::start_connect_onboarding,
            payout_setup::refresh_connect_account,
            reports::vendor_statement,
            reports::export_vendor_statement,
            stripe_events::reconcile_stripe_events,
            stripe_events::stripe_events,
            stripe_events::resolve_stripe_event,
            subscriptions::subscription_plans,
            subscriptions::vendor_plans,
            subscriptions::subscribe_vendor,
            subscriptions::change_vendor_plan,
            subscriptions::set_vendor_plan_ending,
            sync::sync_overview,
            sync::sync_now,
            sync::pending_changes,
            sync::sync_conflicts,
            sync::resolve_conflict,
        ])
        .events(collect_events![
            events::DataChanged,
            events::PayoutProgressed,
            events::StripeSyncProgressed,
            events::ExportProgressed,
            events::LabelBatchProgressed,
            events::SyncProgressed
        ])
        // The password policy's length, for the UI's hint: the rule lives in the core.
        .constant("MIN_PASSWORD_CHARS", marketdesk_core::identity::MIN_PASSWORD_CHARS)
        // Who moves orders by hand, and which orders wait for the warehouse.
        .constant("ORDER_MOVED_BY", marketdesk_core::domain::OrderStatus::MOVED_BY.to_vec())
        .constant("ORDER_NOTE_WRITERS", marketdesk_core::orders::timeline::NOTE_READERS.to_vec())
        .constant("ORDER_CANCELLED_BY", marketdesk_core::domain::OrderStatus::CANCELLED_BY.to_vec())
        .constant("ORDER_AWAITING_FULFILMENT", marketdesk_core::domain::OrderStatus::AWAITING_FULFILMENT.to_vec())
        // Who may filter orders by payment, parcels, refunds and disputes: the core refuses the rest.
        .constant("PAYMENT_FACET_READERS", marketdesk_core::domain::PaymentState::READERS.to_vec())
        .constant("FULFILMENT_FACET_READERS", marketdesk_core::domain::FulfilmentState::READERS.to_vec())
        .constant("REFUND_FACET_READERS", marketdesk_core::domain::RefundState::READERS.to_vec())
        .constant("DISPUTE_FACET_READERS", marketdesk_core::domain::DisputeState::READERS.to_vec())
        // The moves a person makes by hand on a shipment: the lifecycle lives in the core.
        .constant("SHIPMENT_MANUAL_MOVES", marketdesk_core::domain::ShipmentStatus::manual_moves())
        // Every integer crossing the bridge (minor units, versions, counts) is far below 2^53.
        .dangerously_cast_bigints_to_number()
        .disable_serde_phases()
}

/// The TypeScript bindings for `builder`, as checked in at `ui/src/bindings.ts`.
pub fn typescript_bindings(builder: &Builder<tauri::Wry>) -> Result<String, String> {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("marketdesk-bindings-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bindings.ts");
    builder
        .export(Typescript::default().header("// Generated by tauri-specta from src-tauri: do not edit.\n"), &path)
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// Starts the app; returns when its last window closes.
pub fn run() -> Result<(), String> {
    // Kept until the app ends: dropping it writes the last lines.
    let _logs = start_logging();
    let state = state::AppState::from_env().map_err(|e| e.message)?;
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            // The window is made here rather than from the configuration, so the
            // benchmark's empty-window baseline can share the configuration.
            let config = app.config().app.windows.first().cloned().ok_or("no window in tauri.conf.json")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?.build()?;
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .map_err(|e| e.to_string())
}

/// JSON log files in this computer's log folder (what admins read in Logs),
/// panics logged, and error reports when a DSN is configured; the app runs
/// on without them, and says so.
fn start_logging() -> marketdesk_core::observability::startup::Observability {
    let started = marketdesk_core::observability::startup::start(
        "desktop",
        concat!("marketdesk@", env!("CARGO_PKG_VERSION")),
        None,
    );
    for problem in &started.problems {
        eprintln!("warning: {problem}");
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), reports = started.reports.is_some(), "Marketdesk started");
    started
}

/// The benchmark's baseline: a bare Tauri window on an empty page, from the same
/// binary and configuration but with no state, commands or plugins
/// (`marketdesk-desktop --bench-empty-window`).
pub fn run_empty_window() -> Result<(), String> {
    tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App("empty.html".into()))
                .title("empty")
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .map_err(|e| e.to_string())
}
