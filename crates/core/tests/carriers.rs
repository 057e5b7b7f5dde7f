//! Carrier labels against local fakes of FedEx's and UPS's REST APIs, with
//! the real clients: quotes read exactly, a label bought once and recorded
//! with the carrier's bytes, printed byte for byte (and converted for a 300
//! dpi printer), voided, tracked; a bad address refused before anything is
//! bought; an expired token refreshed once; `429` waited out; a server error
//! failing cleanly; an unreadable answer leaving the purchase uncertain so
//! that nothing is bought twice until a person settles it.

use marketdesk_core::documents::label::Density;
use marketdesk_core::documents::label::raster::Bitmap;
use marketdesk_core::domain::{
    Carrier, DocumentKind, LabelPurchaseState, PrintJobState, PrintLanguage, PrinterConnection, ShipmentStatus,
    Timestamp,
};
use marketdesk_core::integrations::carriers::{
    AddressVerdict, CarrierAccount, CarrierApi, CarrierClient, CarrierFailure, Fedex, LabelImage, Party, RateLimit,
    RateRequest, Ups,
};
use marketdesk_core::logistics::batch::{self, BatchOptions, BatchOutcome};
use marketdesk_core::logistics::printing::{self, PrintContext};
use marketdesk_core::logistics::purchase::{self, Settlement};
use marketdesk_core::logistics::{ShippingError, day_close, local_label, shipments, tracking};
use marketdesk_core::store::printing::{Printer, PrinterSpec};
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir, Store};
use marketdesk_test_support::fedex_fake::{self, FedexFake};
use marketdesk_test_support::label_scan::{decode, pdf_png, zpl_png};
use marketdesk_test_support::on_both_engines;
use marketdesk_test_support::parcels::{pending_parcel, ready, recipient_postcode};
use marketdesk_test_support::printers::RawPrinter;
use marketdesk_test_support::ups_fake::{self, UpsFake};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use uuid::Uuid;

fn account(carrier: Carrier, base_url: String) -> CarrierAccount {
    let (client_id, secret) = match carrier {
        Carrier::Fedex => (fedex_fake::CLIENT_ID, fedex_fake::SECRET),
        _ => (ups_fake::CLIENT_ID, ups_fake::SECRET),
    };
    CarrierAccount {
        carrier,
        base_url,
        client_id: client_id.into(),
        secret: secret.into(),
        account_number: "740561073".into(),
        timeout: Duration::from_secs(5),
    }
}

const ROOMY: RateLimit = RateLimit { calls: 1_000, per: Duration::from_secs(1) };

fn fedex(fake: &FedexFake) -> Fedex {
    Fedex::new(account(Carrier::Fedex, fake.uri()), ROOMY).unwrap()
}

fn ups(fake: &UpsFake) -> Ups {
    Ups::new(account(Carrier::Ups, fake.uri()), ROOMY).unwrap()
}

fn party(city: &str, region: &str, postcode: &str) -> Party {
    Party {
        name: "Ada Lovelace".into(),
        company: None,
        phone: "9015550100".into(),
        lines: vec!["3875 Airways Blvd".into()],
        city: city.into(),
        region: Some(region.into()),
        postcode: postcode.into(),
        country: "US".into(),
    }
}

fn rate_request() -> RateRequest {
    RateRequest {
        from: party("Atlanta", "GA", "30303"),
        to: party("Memphis", "TN", "38116"),
        weight_grams: 1250,
        service: None,
    }
}

fn ctx() -> PrintContext {
    PrintContext {
        workstation: "bench-1".into(),
        requested_by: None,
        user_name: "tester".into(),
        cups_wait: Duration::from_secs(5),
        recorder: None,
    }
}

async fn zebra(store: &Store, raw: &RawPrinter, name: &str, dpi: i32) -> Uuid {
    let spec = PrinterSpec {
        name: name.into(),
        connection: PrinterConnection::Socket,
        address: raw.address(),
        language: PrintLanguage::Zpl,
        dpi: Some(dpi),
    };
    printing::add_printer(store, "bench-1", &spec, None).await.unwrap().id
}

async fn status(store: &Store, shipment: Uuid) -> ShipmentStatus {
    store.parcel_route(shipment).await.unwrap().status
}

async fn a_fedex_label_is_bought_once_printed_as_sold_voided_and_tracked(store: &Store) {
    let fake = FedexFake::start(Duration::ZERO).await;
    let api = fedex(&fake);
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;

    let quotes = purchase::quote(store, &api, shipment, None).await.unwrap();
    assert!(quotes.len() >= 2, "{quotes:?}");
    assert!(quotes.windows(2).all(|w| w[0].amount_minor <= w[1].amount_minor), "cheapest first");
    assert!(quotes[0].cheapest && !quotes[quotes.len() - 1].cheapest);
    assert!(quotes.iter().any(|q| q.fastest && q.transit_days == Some(1)), "{quotes:?}");

    let bought = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(bought.state, LabelPurchaseState::Purchased, "{bought:?}");
    let tracking = bought.tracking_number.clone().unwrap();
    assert!(bought.cost_minor.unwrap() > 0 && bought.currency.as_deref() == Some("USD"));
    assert!(bought.reference.ends_with("-1"), "{}", bought.reference);
    assert_eq!(status(store, shipment).await, ShipmentStatus::LabelPurchased);
    let sent = fake.state.lock().unwrap().ship_requests[0].clone();
    assert_eq!(sent["requestedShipment"]["labelSpecification"]["imageType"], "ZPLII");
    assert_eq!(sent["requestedShipment"]["recipients"][0]["address"]["postalCode"], "38116");
    assert_eq!(
        sent["requestedShipment"]["requestedPackageLineItems"][0]["customerReferences"][0]["value"],
        bought.reference.as_str()
    );

    let again = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap_err();
    assert!(again.to_string().contains("already has a label"), "{again}");
    assert_eq!(fake.calls_to("/ship/v1/shipments"), 1, "never bought twice");

    let raw = RawPrinter::start().await;
    let at203 = zebra(store, &raw, "Zebra 203", 203).await;
    let at300 = zebra(store, &raw, "Zebra 300", 300).await;
    printing::set_default_printer(store, "bench-1", DocumentKind::Label, at203).await.unwrap();
    let job = printing::print_shipping_label(store, &ctx(), shipment, None).await.unwrap();
    assert_eq!(job.state, PrintJobState::Sent);
    let second = printing::print_shipping_label(store, &ctx(), shipment, Some(at300)).await.unwrap();
    assert_eq!(second.dpi, Some(300));
    let got = raw.wait_for(2, Duration::from_secs(10)).await;
    let sold = fedex_fake::label_bytes("ZPLII", &tracking);
    assert_eq!(got[0], sold, "the thermal printer gets the carrier's label byte for byte");
    assert!(got[1].starts_with(b"^XA^MUD,200,300"), "a 300 dpi printer is told to convert the 203 dpi label");
    assert_eq!(status(store, shipment).await, ShipmentStatus::Printed);

    purchase::void_label(store, Some(&api), shipment).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().voided, vec![tracking.clone()]);
    assert_eq!(status(store, shipment).await, ShipmentStatus::Pending);
    assert!(store.live_label(shipment).await.unwrap().is_none());
    let history = store.label_purchases(shipment).await.unwrap();
    assert_eq!(history[0].state, LabelPurchaseState::Voided);

    let rebought = purchase::buy_label(store, &api, shipment, "FEDEX_2_DAY", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(rebought.state, LabelPurchaseState::Purchased);
    assert!(rebought.reference.ends_with("-2"), "a new attempt, a new reference");
    let handed = shipments::hand_over(store, &[shipment]).await.unwrap();
    assert!(handed[0].1.is_ok(), "{handed:?}");
    let too_late = purchase::void_label(store, Some(&api), shipment).await.unwrap_err();
    assert!(too_late.to_string().contains("can no longer be voided"), "{too_late}");

    let number = rebought.tracking_number.unwrap();
    fake.push_scan(&number, "PU", "Picked up", "2026-12-04T09:00:00-06:00");
    fake.push_scan(&number, "DL", "Delivered", "2026-12-05T10:15:00-06:00");
    let round = tracking::track_parcels(store, &api).await.unwrap();
    assert_eq!((round.events_added, round.moved, round.delivered), (2, 1, 1), "{round:?}");
    assert_eq!(status(store, shipment).await, ShipmentStatus::Delivered);
    let events = store.tracking_events(shipment).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.status).collect::<Vec<_>>(),
        [ShipmentStatus::InTransit, ShipmentStatus::Delivered]
    );
    let quiet = tracking::track_parcels(store, &api).await.unwrap();
    assert_eq!(quiet.checked, 0, "a delivered parcel is no longer followed");
}

async fn a_bad_address_is_refused_before_anything_is_bought(store: &Store) {
    let fake = FedexFake::start(Duration::ZERO).await;
    let api = fedex(&fake);
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;

    recipient_postcode(store, shipment, "3811").await;
    let local = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap_err();
    match &local {
        ShippingError::Address(p) => assert_eq!((p.side.as_str(), p.field.as_str()), ("recipient", "postcode")),
        other => panic!("{other}"),
    }
    assert_eq!(fake.calls_to("/"), 0, "refused locally, before any call");

    recipient_postcode(store, shipment, "00000").await;
    let remote = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap_err();
    assert!(matches!(remote, ShippingError::Address(_)), "{remote}");
    assert!(remote.to_string().contains("not found"), "{remote}");
    assert_eq!(fake.calls_to("/ship/v1/shipments"), 0);
    assert!(store.label_purchases(shipment).await.unwrap().is_empty(), "no attempt was opened");
}

async fn a_server_error_fails_the_purchase_and_a_retry_buys(store: &Store) {
    let fake = UpsFake::start(Duration::ZERO).await;
    let api = ups(&fake);
    let shipment = pending_parcel(store, "ups", "03").await;
    {
        let mut s = fake.state.lock().unwrap();
        s.fail_next = 1;
        s.fault_path = Some("/api/shipments".into());
    }
    let failed = purchase::buy_label(store, &api, shipment, "03", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(failed.state, LabelPurchaseState::Failed, "{failed:?}");
    assert!(failed.error_code.is_some() && failed.error_message.as_deref().unwrap().contains("UPS had a problem"));
    assert!(failed.carrier_transaction_id.is_some(), "the transId is kept for UPS's support desk");
    let bought = purchase::buy_label(store, &api, shipment, "03", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(bought.state, LabelPurchaseState::Purchased);
    let tracking = bought.tracking_number.unwrap();
    assert!(tracking.starts_with("1Z"), "{tracking}");
    let label = store.live_label(shipment).await.unwrap().unwrap();
    assert_eq!(label.label_data.unwrap(), ups_fake::label_bytes("ZPL", &tracking));
    purchase::void_label(store, Some(&api), shipment).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().voided.len(), 1);
}

async fn a_ups_label_for_a_laser_printer_comes_as_a_picture_that_scans_on_either_kind(store: &Store) {
    let fake = UpsFake::start(Duration::ZERO).await;
    let api = ups(&fake);
    let shipment = pending_parcel(store, "ups", "03").await;
    let bought = purchase::buy_label(store, &api, shipment, "03", LabelImage::Pdf, None).await.unwrap();
    assert_eq!(bought.state, LabelPurchaseState::Purchased, "{bought:?}");
    let tracking = bought.tracking_number.unwrap();
    let sent = fake.state.lock().unwrap().ship_requests[0].clone();
    assert_eq!(sent["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"], "GIF");
    let kept = store.live_label(shipment).await.unwrap().unwrap();
    assert_eq!(kept.format, "png", "UPS's GIF is kept as a lossless picture");
    let picture = Bitmap::from_png(kept.label_data.as_deref().unwrap()).unwrap();
    assert!(picture.height() > picture.width(), "the label lying on its side was turned upright");
    let expected = vec![("code 128".to_owned(), tracking.clone())];

    let dir = tempfile::tempdir().unwrap();
    let laser = Printer {
        id: Uuid::now_v7(),
        workstation: "bench-1".into(),
        name: "Office laser".into(),
        connection: PrinterConnection::Ipp,
        address: "ipp://localhost:631/printers/laser".into(),
        language: PrintLanguage::Pdf,
        dpi: None,
        version: 1,
    };
    let data = kept.label_data.clone().unwrap();
    let (pdf, _) = printing::jobs::carrier_label_for(&laser, Carrier::Ups, "png", data.clone()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(decode(&pdf_png(&pdf, dir.path())), expected, "the PDF page scans");

    let raw = RawPrinter::start().await;
    let at203 = zebra(store, &raw, "Zebra 203", 203).await;
    let at300 = zebra(store, &raw, "Zebra 300", 300).await;
    printing::print_shipping_label(store, &ctx(), shipment, Some(at203)).await.unwrap();
    let job = printing::print_shipping_label(store, &ctx(), shipment, Some(at300)).await.unwrap();
    assert_eq!(job.dpi, Some(300));
    let got = raw.wait_for(2, Duration::from_secs(10)).await;
    for (bytes, density) in got.iter().zip([Density::Dpi203, Density::Dpi300]) {
        assert!(bytes.windows(5).any(|w| w == b"^GFA,"), "a ZPL graphic field");
        assert!(bytes.len() < 60_000, "compressed: {} bytes", bytes.len());
        assert_eq!(decode(&zpl_png(bytes, density)), expected, "the thermal label scans at {density:?}");
    }
    assert_eq!(status(store, shipment).await, ShipmentStatus::Printed);

    // A picture that is not one leaves the purchase uncertain: UPS sold it.
    let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 2 };
    let other = store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap().items[1].id;
    ready(store, other, "ups", "03").await;
    fake.state.lock().unwrap().blank_gif_next = 1;
    let unsure = purchase::buy_label(store, &api, other, "03", LabelImage::Pdf, None).await.unwrap();
    assert_eq!(unsure.state, LabelPurchaseState::Uncertain, "{unsure:?}");
    assert!(unsure.error_message.as_deref().unwrap().contains("blank"), "{unsure:?}");
}

async fn the_ground_day_is_closed_with_fedex_and_its_manifest_kept(store: &Store) {
    let fake = FedexFake::start(Duration::ZERO).await;
    let api = fedex(&fake);
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    let bought = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap();
    let tracking = bought.tracking_number.unwrap();
    let today = day_close::shipping_day(&Timestamp::now().to_text()[..10], Timestamp::now()).unwrap();

    let first = day_close::close_day(store, &api, today, None).await.unwrap();
    assert_eq!(first.carrier, Carrier::Fedex);
    assert!(first.parcels >= 1, "today's Ground label is counted: {first:?}");
    assert!(first.transaction_id.is_some(), "FedEx's transaction id is kept");
    let manifest = String::from_utf8(day_close::day_close_manifest(store, first.id).await.unwrap()).unwrap();
    assert!(manifest.starts_with("FEDEX GROUND PICKUP MANIFEST"), "the parts are put back in order:\n{manifest}");
    assert!(manifest.contains(&tracking) && manifest.contains("TOTAL PACKAGES 1"), "{manifest}");
    let sent = fake.state.lock().unwrap().day_closes.clone();
    assert_eq!(sent, [today.to_string()]);

    // A second close the same day takes nothing new; both are kept, newest first.
    let second = day_close::close_day(store, &api, today, None).await.unwrap();
    let manifest = String::from_utf8(day_close::day_close_manifest(store, second.id).await.unwrap()).unwrap();
    assert!(manifest.contains("TOTAL PACKAGES 0") && !manifest.contains(&tracking), "{manifest}");
    let listed = day_close::day_closes(store, 10).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), [second.id, first.id]);

    // A failure at FedEx, or a carrier with no close, records nothing.
    {
        let mut s = fake.state.lock().unwrap();
        s.fail_next = 1;
        s.fault_path = Some("/ship/v1/endofday".into());
    }
    let down = day_close::close_day(store, &api, today, None).await.unwrap_err();
    assert!(matches!(&down, ShippingError::Carrier(e) if e.failure == CarrierFailure::CarrierDown), "{down}");
    let ups_fake = UpsFake::start(Duration::ZERO).await;
    let none = day_close::close_day(store, &ups(&ups_fake), today, None).await.unwrap_err();
    assert!(none.to_string().contains("no end-of-day close"), "{none}");
    assert_eq!(ups_fake.calls_to("/"), 0, "nothing was asked of UPS");
    assert_eq!(day_close::day_closes(store, 10).await.unwrap().len(), 2);
    assert!(day_close::shipping_day("2026-13-01", Timestamp::now()).is_err());
}

async fn an_unreadable_answer_leaves_the_purchase_uncertain_until_settled(store: &Store) {
    let fake = FedexFake::start(Duration::ZERO).await;
    let api = fedex(&fake);
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    {
        let mut s = fake.state.lock().unwrap();
        s.malformed_next = 1;
        s.fault_path = Some("/ship/".into());
    }
    let first = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(first.state, LabelPurchaseState::Uncertain, "{first:?}");
    assert!(first.error_message.as_deref().unwrap().contains(&first.reference), "says what to look for");
    let blocked = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap_err();
    assert!(blocked.to_string().contains("uncertain"), "{blocked}");
    assert_eq!(fake.calls_to("/ship/v1/shipments"), 1, "nothing is bought a second time");

    let settled =
        purchase::settle_uncertain_purchase(store, &api, first.id, &Settlement::NothingBought, None).await.unwrap();
    assert_eq!(settled.state, LabelPurchaseState::Failed);
    assert!(settled.resolution.unwrap().contains(&first.reference));
    let bought = purchase::buy_label(store, &api, shipment, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap();
    assert_eq!(bought.state, LabelPurchaseState::Purchased);
}

async fn the_local_carrier_needs_no_account_and_no_network(store: &Store) {
    let shipment = pending_parcel(store, "local", "courier").await;
    let issued = local_label::issue_local_label(store, shipment, None).await.unwrap();
    assert_eq!(issued.state, LabelPurchaseState::Purchased);
    let tracking = issued.tracking_number.unwrap();
    assert!(tracking.starts_with("MD-"), "the shipment's own reference: {tracking}");
    assert_eq!(status(store, shipment).await, ShipmentStatus::LabelPurchased);
    purchase::void_label::<CarrierClient>(store, None, shipment).await.unwrap();
    assert_eq!(status(store, shipment).await, ShipmentStatus::Pending);
}

async fn a_batch_buys_and_prints_each_parcel_once_and_a_rerun_finishes_it(store: &Store) {
    let fake = FedexFake::start(Duration::from_millis(5)).await;
    let api = fedex(&fake);
    let first = pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    let all = marketdesk_test_support::parcels::ready_all(store, "fedex", "FEDEX_GROUND").await;
    let picked: Vec<Uuid> = all.iter().copied().take(4).collect();
    assert_eq!(picked[0], first);
    let weigh = |grams: u32| format!("UPDATE shipments SET weight_grams = {grams} WHERE id = $1");
    marketdesk_test_support::parcels::exec(store, &weigh(0), picked[2]).await;
    let raw = RawPrinter::start().await;
    let printer = zebra(store, &raw, "Zebra 203", 203).await;
    let options = BatchOptions { image: LabelImage::Zpl, printer: Some(printer), concurrency: 3 };

    let cancel = AtomicBool::new(true);
    let skipped = batch::buy_and_print(store, Some(&api), None, &ctx(), &picked, options, &cancel, |_| {}).await;
    assert!(skipped.iter().all(|r| r.outcome == BatchOutcome::Skipped), "cancelled before it began");
    assert_eq!(fake.calls_to("/ship/"), 0);

    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let rows =
        batch::buy_and_print(store, Some(&api), None, &ctx(), &picked, options, &cancel, |p| seen.push(*p)).await;
    assert_eq!(rows.iter().map(|r| r.shipment_id).collect::<Vec<_>>(), picked, "rows in the order given");
    let outcomes: Vec<BatchOutcome> = rows.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [BatchOutcome::Printed, BatchOutcome::Printed, BatchOutcome::NotBought, BatchOutcome::Printed]
    );
    assert!(rows[2].message.as_deref().unwrap().contains("weigh it"), "{:?}", rows[2]);
    assert_eq!(seen.last().map(|p| (p.done, p.total, p.printed, p.failed)), Some((4, 4, 3, 1)));
    assert_eq!(raw.wait_for(3, Duration::from_secs(10)).await.len(), 3);

    marketdesk_test_support::parcels::exec(store, &weigh(800), picked[2]).await;
    let rerun = batch::buy_and_print(store, Some(&api), None, &ctx(), &picked, options, &cancel, |_| {}).await;
    let outcomes: Vec<BatchOutcome> = rerun.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [BatchOutcome::AlreadyDone, BatchOutcome::AlreadyDone, BatchOutcome::Printed, BatchOutcome::AlreadyDone]
    );
    assert_eq!(fake.calls_to("/ship/"), 4, "each parcel bought once over both runs");

    let number = store.parcel_route(first).await.unwrap();
    assert_eq!(number.status, ShipmentStatus::Printed);
    let tracking = rows[0].tracking_number.clone().unwrap();
    let found = store.parcels_for_code(&tracking).await.unwrap();
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), [first]);
    let order = found[0].order_number.clone();
    let by_order = store.parcels_for_code(&order.to_lowercase()).await.unwrap();
    assert!(by_order.iter().any(|s| s.id == first));
    let by_reference = store.parcels_for_code(&format!("{order}-1")).await.unwrap();
    assert_eq!(by_reference.len(), 1);
    assert!(store.parcels_for_code("no-such-thing").await.unwrap().is_empty());
}

on_both_engines!(
    a_batch_buys_and_prints_each_parcel_once_and_a_rerun_finishes_it,
    a_fedex_label_is_bought_once_printed_as_sold_voided_and_tracked,
    a_bad_address_is_refused_before_anything_is_bought,
    a_server_error_fails_the_purchase_and_a_retry_buys,
    a_ups_label_for_a_laser_printer_comes_as_a_picture_that_scans_on_either_kind,
    the_ground_day_is_closed_with_fedex_and_its_manifest_kept,
    an_unreadable_answer_leaves_the_purchase_uncertain_until_settled,
    the_local_carrier_needs_no_account_and_no_network,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refreshed_once_and_shared_by_concurrent_calls() {
    let fake = FedexFake::start(Duration::from_millis(20)).await;
    let api = std::sync::Arc::new(fedex(&fake));
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let api = api.clone();
            tokio::spawn(async move { api.quote(&rate_request()).await })
        })
        .collect();
    for call in calls {
        assert!(!call.await.unwrap().unwrap().is_empty());
    }
    assert_eq!(fake.state.lock().unwrap().tokens_issued, 1, "one token for eight concurrent calls");

    fake.expire_tokens_now();
    api.quote(&rate_request()).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().tokens_issued, 2, "refreshed once, and the call retried");

    let wrong =
        Fedex::new(CarrierAccount { secret: "not-the-secret".into(), ..account(Carrier::Fedex, fake.uri()) }, ROOMY)
            .unwrap();
    let refused = wrong.quote(&rate_request()).await.unwrap_err();
    assert_eq!(refused.failure, CarrierFailure::Credentials);
    assert!(refused.to_string().contains("client id and secret"), "{refused}");

    let ups_fake = UpsFake::start(Duration::ZERO).await;
    let u = ups(&ups_fake);
    u.quote(&rate_request()).await.unwrap();
    ups_fake.expire_tokens_now();
    u.quote(&rate_request()).await.unwrap();
    assert_eq!(ups_fake.state.lock().unwrap().tokens_issued, 2);
}

#[tokio::test]
async fn too_many_requests_is_waited_out_as_retry_after_says() {
    let fake = FedexFake::start(Duration::ZERO).await;
    let api = fedex(&fake);
    {
        let mut s = fake.state.lock().unwrap();
        s.throttle_next = 2;
        s.retry_after_secs = 1;
    }
    let start = Instant::now();
    api.quote(&rate_request()).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().throttled, 2);
    assert!(start.elapsed() >= Duration::from_secs(2), "waited as asked: {:?}", start.elapsed());

    fake.state.lock().unwrap().throttle_next = 10;
    let gave_up = api.quote(&rate_request()).await.unwrap_err();
    assert_eq!(gave_up.failure, CarrierFailure::RateLimited);
    assert!(gave_up.code.is_some() && gave_up.transaction_id.is_some(), "{gave_up:?}");
}

#[tokio::test]
async fn ups_quotes_tracking_and_addresses_read_both_of_its_list_shapes() {
    let fake = UpsFake::start(Duration::ZERO).await;
    let api = ups(&fake);
    let all = api.quote(&rate_request()).await.unwrap();
    assert!(all.len() >= 2 && all.iter().all(|q| q.carrier == Carrier::Ups), "{all:?}");
    let one = api.quote(&RateRequest { service: Some("03".into()), ..rate_request() }).await.unwrap();
    assert_eq!(one.len(), 1, "a single RatedShipment comes as an object");
    assert_eq!(one[0].service_name, "UPS Ground");
    assert_eq!(api.check_address(&party("Memphis", "TN", "38116")).await.unwrap(), AddressVerdict::Valid);
    assert!(matches!(
        api.check_address(&party("Memphis", "TN", "00000")).await.unwrap(),
        AddressVerdict::Invalid { .. }
    ));
    let abroad = Party { country: "DE".into(), region: None, postcode: "10115".into(), ..party("Berlin", "", "") };
    assert_eq!(api.check_address(&abroad).await.unwrap(), AddressVerdict::NotChecked);
    let unknown = api.track(&["1Z0000000000000000".into()]).await.unwrap();
    assert!(unknown[0].not_found);
}
