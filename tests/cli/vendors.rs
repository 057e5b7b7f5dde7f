//! `vendors` from a terminal against PostgreSQL: an application recorded,
//! listed and shown with what it lacks, its details and a document added by
//! an admin, the document reviewed, the application declined only with a
//! reason; a vendor suspended and reactivated; and a local file refused with
//! the reason onboarding needs the server.

use super::{one_error_line, seeded_file};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::marketdesk;

fn first_id(stdout: &str) -> String {
    stdout.split_whitespace().find(|w| w.len() == 36 && w.matches('-').count() == 4).expect(stdout).to_owned()
}

#[test]
fn an_application_is_worked_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(async {
        let db = pg().await;
        seed(&db.store, &SeedOptions::new(40), |_| {}).await.unwrap();
        db
    });
    let url = db.url.to_string();
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let admin = "admin@marketdesk.demo";

    let applied = run(&[
        "vendors",
        "apply",
        "--business",
        "Nordlicht Tees",
        "--contact",
        "Ada Berg",
        "--email",
        "ada@nordlicht.example",
        "--country",
        "de",
        "--as",
        admin,
    ]);
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    let id = first_id(&applied.stdout);
    assert!(applied.stdout.contains("applied  Nordlicht Tees"), "{}", applied.stdout);
    assert!(applied.stdout.contains("steps open: invite, decline"), "{}", applied.stdout);
    let listed = run(&["vendors", "applications", "--stage", "applied", "--as", admin]);
    assert!(listed.stdout.contains("Nordlicht Tees") && listed.stdout.contains("ada@nordlicht.example"));
    let vendor = run(&["vendors", "applications", "--as", "vendor@marketdesk.demo"]);
    assert_eq!(vendor.stdout.trim(), "No applications match.", "a vendor sees only their own");

    let detailed = run(&["vendors", "details", &id, "--tax-id", "DE 123456789", "--currency", "eur", "--as", admin]);
    assert_eq!(detailed.code, 0, "{}", detailed.stderr);
    let bad = run(&["vendors", "details", &id, "--tax-id", "1", "--as", admin]);
    assert!(one_error_line(&bad).contains("is not a tax id"), "{}", bad.stderr);
    let pdf = home.path().join("registration.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let sent =
        run(&["vendors", "document", &id, "--kind", "business_registration", pdf.to_str().unwrap(), "--as", admin]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let document = first_id(&sent.stdout);
    let unexplained = run(&["vendors", "review", &document, "--reject", "--as", admin]);
    assert!(one_error_line(&unexplained).contains("say why"), "{}", unexplained.stderr);
    let rejected = run(&["vendors", "review", &document, "--reject", "--note", "Expired", "--as", admin]);
    assert_eq!(rejected.code, 0, "{}", rejected.stderr);
    let shown = run(&["vendors", "show", &id, "--as", admin]);
    assert!(shown.stdout.contains("rejected") && shown.stdout.contains("Expired"), "{}", shown.stdout);

    let bare = run(&["vendors", "decline", &id, "--reason", " ", "--as", admin]);
    assert!(one_error_line(&bare).contains("say why the application is declined"), "{}", bare.stderr);
    let declined = run(&["vendors", "decline", &id, "--reason", "We do not sell clothing", "--as", admin]);
    assert_eq!(declined.code, 0, "{}", declined.stderr);
    assert!(declined.stdout.contains("declined: We do not sell clothing"), "{}", declined.stdout);

    let suspended = run(&["vendors", "suspend", "vendor@marketdesk.demo", "--reason", "Fraud check", "--as", admin]);
    assert_eq!(suspended.code, 0, "{}", suspended.stderr);
    assert!(suspended.stdout.contains("live product(s) hidden"), "{}", suspended.stdout);
    let again = run(&["vendors", "suspend", "vendor@marketdesk.demo", "--reason", "Again", "--as", admin]);
    assert!(one_error_line(&again).contains("is suspended already"), "{}", again.stderr);
    let back = run(&["vendors", "reactivate", "vendor@marketdesk.demo", "--as", admin]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    let profile = run(&[
        "vendors",
        "profile",
        "vendor@marketdesk.demo",
        "--description",
        "Stoneware from the coast.",
        "--as",
        "vendor@marketdesk.demo",
    ]);
    assert_eq!(profile.code, 0, "{}", profile.stderr);
    assert!(profile.stdout.contains("Stoneware from the coast."), "{}", profile.stdout);
    let other = run(&["vendors", "profile", "vendor@marketdesk.demo", "--as", "vendor1@vendors.marketdesk.demo"]);
    assert!(one_error_line(&other).contains("not found"), "another vendor's profile: {}", other.stderr);

    let local = tempfile::tempdir().unwrap();
    let file = seeded_file(local.path());
    let offline = marketdesk(local.path(), &["--database-url", &file, "vendors", "applications", "--as", admin]);
    assert!(one_error_line(&offline).contains("runs on the marketplace's server"), "{}", offline.stderr);
    rt.block_on(db.finish());
}
