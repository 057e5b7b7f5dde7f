//! `disputes`: opened, handed over, resolved and read as named people,
//! through the same core functions as the desktop; a step the person may not
//! take refused in one line; a file sent with a message and saved back whole.

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
    // A carrier's report sent with a message, listed with the thread and saved back whole.
    let report = home.path().join("carrier-report.pdf");
    std::fs::write(&report, b"%PDF-1.4\nreport\n%%EOF\n").unwrap();
    let sent = run(&[
        "disputes",
        "message",
        &id,
        "The carrier's report.",
        "--attach",
        report.to_str().unwrap(),
        "--as",
        "admin",
    ]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert!(sent.stdout.contains("with 1 file(s)"), "{}", sent.stdout);
    let shown = run(&["disputes", "show", &id, "--as", "admin"]);
    let file_line = shown.stdout.lines().find(|l| l.contains("carrier-report.pdf")).expect(&shown.stdout).to_owned();
    assert!(file_line.contains("application/pdf"), "{file_line}");
    let file_id = file_line.split_whitespace().nth(1).unwrap();
    let back = home.path().join("back.pdf");
    let saved = run(&["disputes", "file", file_id, "--out", back.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&report).unwrap());
    let exe = home.path().join("tool.exe");
    std::fs::write(&exe, b"MZ\x90\x00").unwrap();
    let refused = run(&["disputes", "message", &id, "Run this", "--attach", exe.to_str().unwrap(), "--as", "admin"]);
    assert!(one_error_line(&refused).contains("is not a photo"), "{}", refused.stderr);

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
