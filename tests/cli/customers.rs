//! `customers`: a record searched, noted, blocked and exported as named
//! people, through the same core functions as the desktop; a vendor refused
//! in one line.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;

#[test]
fn a_customer_is_found_noted_blocked_and_exported_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());

    let listed = run(&["customers", "list", "--limit", "1", "--as", "admin"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let email = listed.stdout.split_whitespace().nth(2).expect("a customer's e-mail").to_owned();
    assert!(email.contains('@'), "{}", listed.stdout);

    let noted = run(&["customers", "note", &email, "Called about a late parcel.", "--as", "finance"]);
    assert_eq!(noted.code, 0, "{}", noted.stderr);
    let no_reason = run(&["customers", "block", &email, "--reason", " ", "--as", "admin"]);
    assert!(one_error_line(&no_reason).contains("say why"), "{}", no_reason.stderr);
    let not_admin = run(&["customers", "block", &email, "--reason", "fraud", "--as", "finance"]);
    assert!(one_error_line(&not_admin).contains("only an admin"), "{}", not_admin.stderr);
    let blocked = run(&["customers", "block", &email, "--reason", "Chargebacks", "--as", "admin"]);
    assert_eq!(blocked.code, 0, "{}", blocked.stderr);
    assert!(blocked.stdout.contains("now blocked"), "{}", blocked.stdout);

    let shown = run(&["customers", "show", &email, "--as", "admin"]);
    assert!(shown.stdout.contains("— blocked —"), "{}", shown.stdout);
    assert!(shown.stdout.contains("Blocked: Chargebacks"), "{}", shown.stdout);
    assert!(shown.stdout.contains("Called about a late parcel."), "{}", shown.stdout);
    let only_blocked = run(&["customers", "list", "--status", "blocked", "--as", "admin"]);
    assert_eq!(only_blocked.stdout.lines().count(), 1, "{}", only_blocked.stdout);

    let out = home.path().join("export");
    let exported = run(&["customers", "export", &email, "--out", out.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    assert!(exported.stdout.contains("(9 files)"), "{}", exported.stdout);
    let json = std::fs::read_to_string(out.join("customer.json")).unwrap();
    assert!(json.contains(&email) && json.contains("Called about a late parcel."));

    let vendor = run(&["customers", "list", "--as", "vendor"]);
    assert!(one_error_line(&vendor).contains("does not read customer records"), "{}", vendor.stderr);
}
