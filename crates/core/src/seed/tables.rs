//! The seeder's output buffers: one bulk batch per table, flushed parents first
//! so foreign keys always point at rows already written.

use crate::store::bulk::Batch;

macro_rules! tables {
    ($($field:ident: $table:literal [$($col:literal),+ $(,)?]),+ $(,)?) => {
        /// One batch per seeded table.
        pub(crate) struct Tables { $(pub $field: Batch),+ }

        impl Tables {
            pub fn new() -> Self {
                Self { $($field: Batch::new($table, &[$($col),+])),+ }
            }

            /// Every batch, parents before children.
            pub fn in_order(&mut self) -> Vec<&mut Batch> {
                vec![$(&mut self.$field),+]
            }
        }

        /// Every seeded table, parents before children.
        pub const SEEDED_TABLES: &[&str] = &[$($table),+];
    };
}

tables! {
    users: "users" ["id", "email", "username", "display_name", "role", "status", "password_hash", "email_verified_at", "last_sign_in_at", "version", "created_at", "updated_at"],
    user_profiles: "user_profiles" ["id", "user_id", "business_name", "legal_name", "phone", "support_email", "description", "payout_currency", "stripe_account_id", "payouts_enabled", "commission_bps", "verification_status", "verified_at", "address_line1", "city", "postal_code", "country", "version", "created_at", "updated_at"],
    categories: "categories" ["id", "parent_id", "name", "slug", "path", "description", "sort_order", "is_active", "version", "created_at", "updated_at"],
    subscription_plans: "subscription_plans" ["id", "code", "name", "description", "price_minor", "currency", "interval", "stripe_price_id", "commission_bps", "max_products", "hold_days", "is_active", "version", "created_at", "updated_at"],
    subscriptions: "subscriptions" ["id", "vendor_id", "plan_id", "status", "stripe_subscription_id", "current_period_start", "current_period_end", "cancel_at_period_end", "cancelled_at", "version", "created_at", "updated_at"],
    shipping_methods: "shipping_methods" ["id", "code", "name", "carrier", "service_code", "base_rate_minor", "currency", "per_kg_rate_minor", "min_days", "max_days", "is_active", "version", "created_at", "updated_at"],
    shipping_zones: "shipping_zones" ["id", "name", "position", "version", "created_at", "updated_at"],
    shipping_zone_areas: "shipping_zone_areas" ["id", "zone_id", "country", "region", "postcode_pattern", "version", "created_at", "updated_at"],
    shipping_rates: "shipping_rates" ["id", "method_id", "zone_id", "currency", "basis", "up_to_grams", "amount_minor", "per_kg_minor", "free_over_minor", "version", "created_at", "updated_at"],
    products: "products" ["id", "vendor_id", "category_id", "name", "slug", "description", "status", "rejection_reason", "submitted_at", "approved_by", "approved_at", "base_price_minor", "currency", "is_featured", "options", "version", "created_at", "updated_at"],
    product_variants: "product_variants" ["id", "product_id", "sku", "name", "price_minor", "currency", "stock_on_hand", "stock_reserved", "low_stock_threshold", "weight_grams", "options", "version", "created_at", "updated_at"],
    stock_movements: "stock_movements" ["id", "variant_id", "product_id", "vendor_id", "kind", "on_hand_delta", "reserved_delta", "on_hand_after", "reserved_after", "version", "created_at", "updated_at"],
    product_images: "product_images" ["id", "product_id", "url", "alt_text", "position", "width", "height", "version", "created_at", "updated_at"],
    shipping_addresses: "shipping_addresses" ["id", "user_id", "label", "recipient_name", "line1", "city", "region", "postal_code", "country", "is_default", "version", "created_at", "updated_at"],
    orders: "orders" ["id", "number", "customer_id", "status", "currency", "subtotal_minor", "shipping_minor", "tax_minor", "discount_minor", "total_minor", "shipping_address_id", "billing_address_id", "shipping_method_id", "placed_at", "paid_at", "cancelled_at", "version", "created_at", "updated_at"],
    order_items: "order_items" ["id", "order_id", "vendor_id", "product_id", "variant_id", "sku", "product_name", "variant_name", "quantity", "unit_price_minor", "currency", "subtotal_minor", "tax_minor", "commission_bps", "commission_minor", "status", "refunded_quantity", "version", "created_at", "updated_at"],
    product_reviews: "product_reviews" ["id", "product_id", "customer_id", "order_item_id", "rating", "title", "body", "status", "version", "created_at", "updated_at"],
    payments: "payments" ["id", "order_id", "provider", "provider_payment_id", "status", "amount_minor", "currency", "fee_minor", "payment_method_type", "captured_at", "version", "created_at", "updated_at"],
    refunds: "refunds" ["id", "payment_id", "order_id", "order_item_id", "amount_minor", "currency", "reason", "status", "provider_refund_id", "idempotency_key", "processed_at", "version", "created_at", "updated_at"],
    shipments: "shipments" ["id", "order_id", "vendor_id", "shipping_method_id", "carrier", "service_code", "tracking_number", "status", "ship_to_address_id", "weight_grams", "cost_minor", "currency", "shipped_at", "delivered_at", "estimated_delivery_at", "version", "created_at", "updated_at"],
    shipment_items: "shipment_items" ["id", "shipment_id", "order_item_id", "quantity", "version", "created_at", "updated_at"],
    shipping_labels: "shipping_labels" ["id", "shipment_id", "carrier", "format", "tracking_number", "cost_minor", "currency", "status", "printed_at", "version", "created_at", "updated_at"],
    tracking_events: "tracking_events" ["id", "shipment_id", "occurred_at", "status", "description", "location", "version", "created_at", "updated_at"],
    disputes: "disputes" ["id", "order_id", "opened_by", "vendor_id", "assigned_to", "kind", "status", "resolution", "amount_minor", "currency", "subject", "opened_at", "resolved_at", "version", "created_at", "updated_at"],
    dispute_messages: "dispute_messages" ["id", "dispute_id", "author_id", "body", "is_internal", "version", "created_at", "updated_at"],
    payout_batches: "payout_batches" ["id", "status", "currency", "total_minor", "payout_count", "created_by", "approved_by", "approved_at", "executed_at", "version", "created_at", "updated_at"],
    payouts: "payouts" ["id", "vendor_id", "batch_id", "amount_minor", "currency", "status", "stripe_transfer_id", "idempotency_key", "failure_reason", "approved_by", "approved_at", "paid_at", "period_start", "period_end", "version", "created_at", "updated_at"],
    ledger_accounts: "ledger_accounts" ["id", "code", "name", "kind", "vendor_id", "currency", "is_active", "version", "created_at", "updated_at"],
    ledger_transactions: "ledger_transactions" ["id", "code", "description", "occurred_at", "order_id", "payout_id", "refund_id", "idempotency_key", "version", "created_at", "updated_at"],
    ledger_entries: "ledger_entries" ["id", "transaction_id", "account_id", "amount_minor", "currency", "vendor_id", "order_item_id", "version", "created_at", "updated_at"],
    analytics_events: "analytics_events" ["id", "name", "user_id", "session_id", "occurred_at", "properties", "actor_role", "entity_id", "version", "created_at", "updated_at"],
    reports: "reports" ["id", "name", "description", "kind", "owner_id", "definition", "is_shared", "version", "created_at", "updated_at"],
    notifications: "notifications" ["id", "user_id", "kind", "title", "body", "link", "channel", "read_at", "version", "created_at", "updated_at"],
    notification_preferences: "notification_preferences" ["id", "user_id", "kind", "channel", "enabled", "version", "created_at", "updated_at"],
    platform_settings: "platform_settings" ["id", "key", "value", "description", "version", "created_at", "updated_at"],
    audit_log: "audit_log" ["id", "actor_id", "actor_role", "action", "entity_table", "details", "occurred_at", "version", "created_at", "updated_at"],
    email_outbox: "email_outbox" ["id", "to_address", "template", "subject", "body_text", "status", "attempts", "next_attempt_at", "sent_at", "version", "created_at", "updated_at"],
}
