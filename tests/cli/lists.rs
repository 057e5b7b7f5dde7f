//! `orders list` and `products list`: searched and filtered as the desktop
//! does it, a filter the person's role may not use refused in one line.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;

#[test]
fn orders_and_products_are_searched_and_filtered_as_on_the_desktop() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let lines = |r: &marketdesk_test_support::Run| r.stdout.lines().map(str::to_owned).collect::<Vec<_>>();

    let one = run(&["orders", "list", "--search", "md-0000042"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(lines(&one).len(), 1, "{}", one.stdout);
    assert!(one.stdout.starts_with("MD-0000042 "), "{}", one.stdout);

    let newest = run(&["orders", "list", "--limit", "3"]);
    assert_eq!(lines(&newest).len(), 4, "three orders and a line saying there are more: {}", newest.stdout);
    // The first order's customer, searched by the start of their e-mail.
    let email = newest.stdout.lines().next().unwrap().rsplit('<').next().unwrap().trim_end_matches('>').to_owned();
    let start = &email[..email.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(email.len()).min(6)];
    let theirs = run(&["orders", "list", "--search", start, "--limit", "500"]);
    assert!(theirs.stdout.lines().any(|l| l.contains(&email)), "{start}: {}", theirs.stdout);

    let paid = run(&["orders", "list", "--payment", "paid", "--fulfilment", "delivered,problem", "--limit", "500"]);
    assert_eq!(paid.code, 0, "{}", paid.stderr);
    assert!(!lines(&paid).is_empty());
    let refused = run(&["orders", "list", "--as", "logistics", "--payment", "paid"]);
    assert!(one_error_line(&refused).contains("may not filter orders by payment"), "{}", refused.stderr);
    let as_logistics = run(&["orders", "list", "--as", "logistics", "--fulfilment", "problem"]);
    assert_eq!(as_logistics.code, 0, "{}", as_logistics.stderr);
    assert!(!as_logistics.stdout.contains('@'), "logistics reads no e-mail: {}", as_logistics.stdout);
    let typo = run(&["orders", "list", "--payment", "settled"]);
    assert_ne!(typo.code, 0);
    assert!(typo.stderr.contains("not a valid payment state"), "{}", typo.stderr);

    let some = run(&["products", "list", "--limit", "1"]);
    assert_eq!(some.code, 0, "{}", some.stderr);
    let first = some.stdout.lines().next().unwrap();
    let name = first.split("  ").next().unwrap().trim().to_owned();
    let word = name.split_whitespace().last().unwrap().to_lowercase();
    let found = run(&["products", "list", "--search", &word, "--limit", "500"]);
    assert!(found.stdout.lines().any(|l| l.starts_with(&name)), "{word}: {}", found.stdout);
    assert!(run(&["products", "list", "--search", "zzqx"]).stdout.contains("No products match."));
}

#[test]
fn orders_are_moved_and_cancelled_as_a_person() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());

    // A paid order: the warehouse starts it, then an admin cancels it.
    let paid = run(&["orders", "list", "--status", "paid", "--limit", "1"]);
    let number = paid.stdout.lines().next().and_then(|l| l.split_whitespace().next()).expect("a paid order");
    let numbers = [number, number];

    let refused = run(&["orders", "move", numbers[0], "paid", "--as", "logistics"]);
    assert!(one_error_line(&refused).contains("cannot become paid"), "{}", refused.stderr);
    let moved = run(&["orders", "move", numbers[0], "processing", "--as", "logistics"]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert!(moved.stdout.contains("is now processing"), "{}", moved.stdout);

    let no_note = run(&["orders", "cancel", numbers[1], "--reason", "other", "--as", "admin"]);
    assert!(one_error_line(&no_note).contains("say in the note why"), "{}", no_note.stderr);
    let not_yours = run(&["orders", "cancel", numbers[1], "--reason", "duplicate", "--as", "logistics"]);
    assert!(one_error_line(&not_yours).contains("does not make an order cancelled"), "{}", not_yours.stderr);
    let done = run(&["orders", "cancel", numbers[1], "--reason", "duplicate", "--as", "admin"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout.contains("order cancelled;") && done.stdout.contains("is due back to the buyer"),
        "{}",
        done.stdout
    );
    let after = run(&["orders", "list", "--search", numbers[1]]);
    assert!(after.stdout.contains("cancelled"), "{}", after.stdout);
}
