//! `disputes`: opened, handed over, resolved and read as named people,
//! through the same core functions as the desktop; a step the person may not
//! take refused in one line.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;

#[test]
fn a_dispute_is_opened_worked_and_resolved_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());

    let delivered = run(&["orders", "list", "--status", "delivered", "--limit", "1"]);
    let number = delivered.stdout.lines().next().and_then(|l| l.split_whitespace().next()).expect("a delivered order");
    let opened = run(&[
        "disputes",
        "open",
        number,
        "--kind",
        "damaged",
        "--subject",
        "Cracked on arrival",
        "--message",
        "The buyer sent a photo.",
        "--as",
        "admin",
    ]);
    assert_eq!(opened.code, 0, "{}", opened.stderr);
    assert!(opened.stdout.contains("opened (open)"), "{}", opened.stdout);
    let id = opened.stdout.split_whitespace().nth(1).expect("the dispute's id").to_owned();

    let twice = run(&[
        "disputes",
        "open",
        number,
        "--kind",
        "damaged",
        "--subject",
        "Again",
        "--message",
        "Again.",
        "--as",
        "admin",
    ]);
    assert!(one_error_line(&twice).contains("still open"), "{}", twice.stderr);
    let not_staff = run(&["disputes", "step", &id, "review", "--as", "logistics"]);
    assert!(one_error_line(&not_staff).contains("does not work disputes"), "{}", not_staff.stderr);
    let typo = run(&["disputes", "step", &id, "resolve", "--outcome", "refund_some", "--as", "admin"]);
    assert!(typo.stderr.contains("not a valid dispute resolution"), "{}", typo.stderr);

    let asked =
        run(&["disputes", "step", &id, "ask_customer", "--message", "A second photo, please.", "--as", "admin"]);
    assert_eq!(asked.code, 0, "{}", asked.stderr);
    assert!(asked.stdout.contains("now awaiting customer"), "{}", asked.stdout);
    let listed = run(&["disputes", "list", "--status", "awaiting_customer", "--as", "admin"]);
    assert!(listed.stdout.lines().any(|l| l.starts_with(&id) && l.contains("due ")), "{}", listed.stdout);

    let resolved = run(&["disputes", "step", &id, "resolve", "--outcome", "refund_full", "--as", "admin"]);
    assert_eq!(resolved.code, 0, "{}", resolved.stderr);
    assert!(resolved.stdout.contains("now resolved") && resolved.stdout.contains("due back"), "{}", resolved.stdout);
    let shown = run(&["disputes", "show", &id, "--as", "admin"]);
    assert!(shown.stdout.contains("Outcome: refund in full") && shown.stdout.contains("(due)"), "{}", shown.stdout);
    assert!(shown.stdout.contains("A second photo, please."), "{}", shown.stdout);
    let due = run(&["disputes", "list", "--refund-due", "--as", "finance"]);
    assert!(due.stdout.lines().any(|l| l.starts_with(&id)), "{}", due.stdout);

    let clock = run(&["disputes", "clock"]);
    assert!(clock.stdout.contains("0 escalated, 0 marked overdue"), "{}", clock.stdout);
    let figures = run(&["disputes", "figures", "--days", "30"]);
    assert_eq!(figures.code, 0, "{}", figures.stderr);
    assert!(figures.stdout.contains("Ended in 30 days:"), "{}", figures.stdout);
}
