/// Every command the UI may invoke. `build.rs` generates an `allow-…` permission
/// for each; the window's capability grants them one by one.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "sign_in",
    "current_user",
    "sign_out",
    "list_orders",
    "order_detail",
    "set_order_status",
    "list_products",
    "product_variants",
    "review_product",
    "adjust_stock",
    "list_users",
    "set_user_active",
    "list_shipments",
    "set_shipment_status",
    "list_payouts",
    "revenue_report",
    "list_disputes",
    "dispute_messages",
];
