//! The warehouse's sheets on both engines, read back with `pdftotext`: a pick
//! list adds up the selected parcels' items by vendor and SKU, walking the
//! warehouse's bins in order (set one by one or from a sheet that writes all
//! or nothing); a packing slip
//! lists what is in one parcel and where it goes; a manifest lists exactly
//! the parcels handed over to the carrier in the span, and none outside it;
//! sheets print byte for byte on a PDF printer and are refused by a ZPL one.

use marketdesk_core::domain::{
    Carrier, DocumentKind, PrintJobState, PrintLanguage, PrinterConnection, ShipmentStatus, Timestamp,
};
use marketdesk_core::logistics::bins;
use marketdesk_core::logistics::printing::{self, PrintContext};
use marketdesk_core::logistics::shipments::hand_over;
use marketdesk_core::logistics::warehouse_documents as sheets;
use marketdesk_core::store::Store;
use marketdesk_core::store::printing::PrinterSpec;
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_test_support::on_both_engines;
use marketdesk_test_support::parcels::{exec, pending_parcel};
use marketdesk_test_support::printers::RawPrinter;
use std::io::Write;
use std::time::Duration;
use uuid::Uuid;

/// The text of `pdf`, as `pdftotext -layout` reads it.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.pdf");
    std::fs::File::create(&path).unwrap().write_all(pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn first_shipments(store: &Store, n: u32) -> Vec<Uuid> {
    let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: n };
    store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap().items.iter().map(|s| s.id).collect()
}

async fn sheets_list_what_the_parcels_hold(store: &Store) {
    let first = pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    let parcels = first_shipments(store, 6).await;
    assert!(parcels.contains(&first));
    let now = Timestamp::parse("2026-06-02T09:30:00Z").unwrap();

    let lines = store.pick_lines(&parcels).await.unwrap();
    assert!(!lines.is_empty());
    let mut slips_total = 0;
    for id in &parcels {
        let (_, items) = store.packing_slip(*id).await.unwrap();
        slips_total += items.iter().map(|i| i64::from(i.quantity)).sum::<i64>();
    }
    assert_eq!(lines.iter().map(|l| l.quantity).sum::<i64>(), slips_total, "every item of every parcel, once");
    let (pdf, count) = sheets::pick_list(store, &parcels, now).await.unwrap();
    assert_eq!(count, lines.len());
    let text = text_of(&pdf);
    assert!(text.contains("Pick list") && text.contains("Made 2026-06-02 09:30 UTC"), "{text}");
    assert!(text.contains(&format!("{} parcels", parcels.len())), "{text}");
    for l in &lines {
        assert!(text.contains(&l.sku), "{} missing from\n{text}", l.sku);
    }
    assert!(text.contains(&format!("{slips_total} items in all")), "{text}");
    assert!(sheets::pick_list(store, &[], now).await.is_err());

    let (head, items) = store.packing_slip(first).await.unwrap();
    let text = text_of(&sheets::packing_slip(store, first, now).await.unwrap());
    assert!(text.contains(&format!("Order {}", head.order_number)), "{text}");
    assert!(text.contains("Ship to: Ada Lovelace") && text.contains("38116 Memphis TN"), "{text}");
    assert!(text.contains(&format!("parcel {} of {}", head.parcel_number, head.parcel_count)), "{text}");
    for i in &items {
        assert!(text.contains(&i.sku), "{text}");
    }
    assert!(text.contains("1.250 kg"), "{text}");
    assert!(store.packing_slip(Uuid::nil()).await.is_err());
}

async fn a_manifest_lists_the_parcels_handed_over_in_its_span(store: &Store) {
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    exec(store, "UPDATE shipments SET status = 'printed', tracking_number = '794900000042' WHERE id = $1", shipment)
        .await;
    let before = Timestamp::now();
    let handed = hand_over(store, &[shipment]).await.unwrap();
    assert!(handed[0].1.is_ok(), "{handed:?}");
    let after = Timestamp::parse(&(before.as_datetime() + chrono::Duration::minutes(1)).to_rfc3339()).unwrap();
    assert_eq!(store.parcel_route(shipment).await.unwrap().status, ShipmentStatus::HandedOver);

    let lines = store.manifest_lines(Carrier::Fedex, before, after).await.unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].tracking_number.as_deref(), Some("794900000042"));
    let (pdf, count) = sheets::manifest(store, Carrier::Fedex, before, after, after).await.unwrap();
    assert_eq!(count, 1);
    let text = text_of(&pdf);
    assert!(text.contains("FedEx manifest") && text.contains("794900000042"), "{text}");
    assert!(text.contains("1 parcels · 1.250 kg") && text.contains("Received by (driver)"), "{text}");

    assert!(store.manifest_lines(Carrier::Ups, before, after).await.unwrap().is_empty(), "another carrier's");
    let earlier = Timestamp::parse("2020-01-01T00:00:00Z").unwrap();
    let (pdf, none) = sheets::manifest(store, Carrier::Fedex, earlier, before, after).await.unwrap();
    assert_eq!(none, 0);
    assert!(text_of(&pdf).contains("No parcel was handed over"));
    assert!(sheets::manifest(store, Carrier::Fedex, after, before, after).await.is_err(), "a backwards span");
}

async fn sheets_print_on_a_pdf_printer_only(store: &Store) {
    let shipment = pending_parcel(store, "local", "SAME_DAY").await;
    let laser = RawPrinter::start().await;
    let zebra = RawPrinter::start().await;
    let add = |name: &str, raw: &RawPrinter, language: PrintLanguage, dpi: Option<i32>| PrinterSpec {
        name: name.into(),
        connection: PrinterConnection::Socket,
        address: raw.address(),
        language,
        dpi,
    };
    let laser_id = printing::add_printer(store, "bench-1", &add("Laser", &laser, PrintLanguage::Pdf, None), None)
        .await
        .unwrap()
        .id;
    let zebra_id = printing::add_printer(store, "bench-1", &add("Zebra", &zebra, PrintLanguage::Zpl, Some(203)), None)
        .await
        .unwrap()
        .id;
    let ctx = PrintContext {
        workstation: "bench-1".into(),
        requested_by: None,
        user_name: "tester".into(),
        cups_wait: Duration::from_secs(5),
        recorder: None,
    };
    let pdf = sheets::packing_slip(store, shipment, Timestamp::now()).await.unwrap();
    let none = printing::print_sheet(store, &ctx, DocumentKind::PackingSlip, &pdf, Some(shipment), None).await;
    assert!(none.unwrap_err().to_string().contains("no default printer for packing slips"));
    let refused = printing::print_sheet(store, &ctx, DocumentKind::PackingSlip, &pdf, None, Some(zebra_id)).await;
    assert!(refused.unwrap_err().to_string().contains("takes ZPL"));
    printing::set_default_printer(store, "bench-1", DocumentKind::PackingSlip, laser_id).await.unwrap();
    let job = printing::print_sheet(store, &ctx, DocumentKind::PackingSlip, &pdf, Some(shipment), None).await.unwrap();
    assert_eq!(job.state, PrintJobState::Sent, "{job:?}");
    assert_eq!(job.document_kind, DocumentKind::PackingSlip);
    assert_eq!(laser.wait_for(1, Duration::from_secs(5)).await, vec![pdf.clone()], "byte for byte");
    assert!(store.shipment_print_log(shipment).await.unwrap().iter().any(|j| j.id == job.id));
}

async fn bins_order_the_pick_list_and_a_bin_sheet_writes_all_or_nothing(store: &Store) {
    pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    let parcels = first_shipments(store, 8).await;
    let lines = store.pick_lines(&parcels).await.unwrap();
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|l| l.bin_location.is_none()), "no bins yet");
    let (first, second, third) = (&lines[0], &lines[1], &lines[2]);
    let variant = |sku: &str, vendor: &str| {
        let (sku, vendor) = (sku.to_owned(), vendor.to_owned());
        async move {
            let found = bins::variants_by_sku(store, &sku).await.unwrap();
            found.into_iter().find(|r| r.vendor_name == vendor).unwrap()
        }
    };
    // The last line alphabetically goes to the first bin walked, the first to a later one.
    let v3 = variant(&third.sku, &third.vendor_name).await;
    assert_eq!(bins::set_bin(store, v3.variant_id, " a-2 ").await.unwrap().as_deref(), Some("A-2"));
    let v1 = variant(&first.sku, &first.vendor_name).await;
    bins::set_bin(store, v1.variant_id, "A-10").await.unwrap();
    let walked = store.pick_lines(&parcels).await.unwrap();
    assert_eq!((walked[0].sku.as_str(), walked[0].bin_location.as_deref()), (third.sku.as_str(), Some("A-2")));
    assert_eq!((walked[1].sku.as_str(), walked[1].bin_location.as_deref()), (first.sku.as_str(), Some("A-10")));
    assert!(walked[2..].iter().all(|l| l.bin_location.is_none()), "lines with no bin come last");
    let text = text_of(&sheets::pick_list(store, &parcels, Timestamp::now()).await.unwrap().0);
    let (a2, a10) = (text.find("A-2 ").unwrap(), text.find("A-10").unwrap());
    assert!(a2 < a10, "the sheet walks A-2 before A-10:\n{text}");
    assert!(bins::set_bin(store, v1.variant_id, "A_10").await.is_err(), "a malformed bin is refused");
    assert!(bins::set_bin(store, Uuid::nil(), "A-1").await.is_err(), "an unknown variant is refused");

    // A sheet with one bad line writes nothing and names each bad line.
    let sheet = format!(
        "sku,bin,vendor\n{},B-1,{}\nNO-SUCH-SKU,C-1\n{},bad_bin,{}\n",
        second.sku, second.vendor_name, first.sku, first.vendor_name
    );
    let refused = bins::apply_bin_sheet(store, &sheet).await.unwrap();
    assert_eq!(refused.updated, 0);
    assert_eq!(refused.problems.iter().map(|p| p.line).collect::<Vec<_>>(), [3, 4], "{refused:?}");
    let v2 = variant(&second.sku, &second.vendor_name).await;
    assert_eq!(v2.bin_location, None, "nothing was written");
    let twice = format!("{},B-1,{}\n{},B-2,{}\n", second.sku, second.vendor_name, second.sku, second.vendor_name);
    assert_eq!(bins::apply_bin_sheet(store, &twice).await.unwrap().problems[0].line, 2);

    let good =
        format!("# shelf walk\n{},B-1,{}\n{},,{}\n", second.sku, second.vendor_name, first.sku, first.vendor_name);
    let applied = bins::apply_bin_sheet(store, &good).await.unwrap();
    assert_eq!((applied.updated, applied.problems.len()), (2, 0), "{applied:?}");
    assert_eq!(variant(&second.sku, &second.vendor_name).await.bin_location.as_deref(), Some("B-1"));
    assert_eq!(variant(&first.sku, &first.vendor_name).await.bin_location, None, "an empty bin clears it");

    // A long sheet is looked up and written in chunks of 500: every line kept.
    add_variants(store, 1_100).await;
    let all: Vec<(String, String)> =
        variants_with_vendors(store).await.into_iter().filter(|(s, v)| !s.contains(',') && !v.contains(',')).collect();
    assert!(all.len() > 1_000, "{} variants: too few for several chunks", all.len());
    let long: String = all.iter().enumerate().map(|(i, (sku, vendor))| format!("{sku},Z-{i},{vendor}\n")).collect();
    let applied = bins::apply_bin_sheet(store, &long).await.unwrap();
    assert!(applied.problems.is_empty(), "{:?}", &applied.problems[..applied.problems.len().min(3)]);
    assert_eq!(applied.updated as usize, all.len());
    for i in [0, 499, 500, all.len() - 1] {
        let (sku, vendor) = &all[i];
        assert_eq!(variant(sku, vendor).await.bin_location, Some(format!("Z-{i}")), "line {}", i + 1);
    }
}

/// Adds `n` variants (SKUs `BULK-1`…) to the first product, in one transaction.
async fn add_variants(store: &Store, n: usize) {
    let sql = "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, stock_on_hand, \
               version, created_at, updated_at) \
               VALUES ($1, (SELECT id FROM products ORDER BY id LIMIT 1), $2, $3, 100, 'USD', 0, 1, $4, $4)";
    let now = Timestamp::now();
    macro_rules! insert_all {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await.unwrap();
            for i in 1..=n {
                sqlx::query(sql)
                    .bind(Uuid::now_v7())
                    .bind(format!("BULK-{i}"))
                    .bind(format!("Bulk {i}"))
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }};
    }
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => insert_all!(p),
        (_, Some(p)) => insert_all!(p),
        _ => unreachable!("a store is on one engine"),
    }
}

/// Every live variant's SKU and its vendor's name, as the bins screen shows them.
async fn variants_with_vendors(store: &Store) -> Vec<(String, String)> {
    let sql = "SELECT v.sku, coalesce(pr.business_name, u.display_name) FROM product_variants v \
               JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
               LEFT JOIN user_profiles pr ON pr.user_id = u.id AND pr.deleted_at IS NULL \
               WHERE v.deleted_at IS NULL ORDER BY v.id";
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        _ => unreachable!("a store is on one engine"),
    }
}

on_both_engines!(
    bins_order_the_pick_list_and_a_bin_sheet_writes_all_or_nothing,
    sheets_list_what_the_parcels_hold,
    a_manifest_lists_the_parcels_handed_over_in_its_span,
    sheets_print_on_a_pdf_printer_only,
);
