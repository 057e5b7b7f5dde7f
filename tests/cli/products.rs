//! `products`: a product made from the terminal as the editor makes it —
//! started with `new`, saved from JSON with every problem named by its field
//! and nothing written, sent for review, sent back with a note, approved, and
//! its diff read after a live edit.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;
use serde_json::Value;

#[test]
fn a_product_is_made_reviewed_and_diffed_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let file = home.path().join("product.json");
    let write = |v: &Value| std::fs::write(&file, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    let path = file.to_str().unwrap();

    let new = run(&["products", "new", "--vendor", "vendor@marketdesk.demo"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    let mut product: Value = serde_json::from_str(&new.stdout).expect("new prints JSON");
    let id = product["product_id"].as_str().unwrap().to_owned();

    // Nothing filled in: each problem on its own line, nothing saved.
    write(&product);
    let empty = run(&["products", "save", path, "--as", "vendor@marketdesk.demo"]);
    assert_ne!(empty.code, 0);
    assert!(empty.stderr.contains("name: a product name needs 1–300 characters"), "{}", empty.stderr);
    assert!(empty.stderr.contains("variants[0].sku:"), "{}", empty.stderr);
    assert!(empty.stderr.contains("nothing was saved"), "{}", empty.stderr);
    assert_ne!(run(&["products", "show", &id]).code, 0, "a refused product leaves no row");

    product["draft"]["name"] = "Terminal tote".into();
    product["draft"]["variants"][0]["sku"] = "TOTE-1".into();
    product["draft"]["variants"][0]["price_minor"] = 1800.into();
    write(&product);
    let saved = run(&["products", "save", path, "--as", "vendor@marketdesk.demo"]);
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    assert!(saved.stdout.contains(&format!("Created product {id} (version 1)")), "{}", saved.stdout);

    let as_admin = ["--as", "admin"];
    let early = run(&[&["products", "review", &id, "--approve"][..], &as_admin].concat());
    assert!(one_error_line(&early).contains("only products pending review"), "{}", early.stderr);
    let sent = run(&["products", "step", &id, "submit", "--as", "vendor@marketdesk.demo"]);
    assert!(sent.stdout.contains("now pending review"), "{} {}", sent.stdout, sent.stderr);
    let asked = run(&[&["products", "review", &id, "--changes", "Say what it is made of."][..], &as_admin].concat());
    assert!(asked.stdout.contains("now draft"), "{} {}", asked.stdout, asked.stderr);
    let shown = run(&["products", "show", &id]);
    assert!(shown.stderr.contains("Review note: Say what it is made of."), "{}", shown.stderr);

    let mut edited: Value = serde_json::from_str(&shown.stdout).unwrap();
    edited["draft"]["description"] = "Waxed cotton.".into();
    write(&edited);
    assert_eq!(run(&["products", "save", path, "--as", "vendor@marketdesk.demo"]).code, 0);
    run(&["products", "step", &id, "submit", "--as", "vendor@marketdesk.demo"]);
    let approved = run(&[&["products", "review", &id, "--approve"][..], &as_admin].concat());
    assert!(approved.stdout.contains("now approved"), "{} {}", approved.stdout, approved.stderr);
    assert!(run(&["products", "diff", &id]).stdout.contains("Nothing changed since it was approved"));

    // A live edit by its vendor goes back to review, and the diff names it.
    let mut live: Value = serde_json::from_str(&run(&["products", "show", &id]).stdout).unwrap();
    live["draft"]["variants"][0]["price_minor"] = 1900.into();
    write(&live);
    assert_eq!(run(&["products", "save", path, "--as", "vendor@marketdesk.demo"]).code, 0);
    let diff = run(&["products", "diff", &id]);
    let line = diff.stdout.lines().find(|l| l.starts_with("Variant TOTE-1: price")).unwrap_or_default();
    assert!(line.contains("18.00 → ") && line.contains("19.00"), "{}", diff.stdout);
    let listed = run(&["products", "list", "--status", "pending_review", "--search", "Terminal tote"]);
    assert!(listed.stdout.contains("Terminal tote"), "{}", listed.stdout);

    // Someone else's product is not theirs to edit.
    let theirs = run(&["products", "save", path, "--as", "vendor1@vendors.marketdesk.demo"]);
    assert!(one_error_line(&theirs).contains("only their own products"), "{}", theirs.stderr);
}

#[test]
fn stock_moves_with_a_reason_and_its_history_reads_back() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let file = home.path().join("product.json");
    let new = run(&["products", "new", "--vendor", "vendor@marketdesk.demo"]);
    let mut product: Value = serde_json::from_str(&new.stdout).expect("new prints JSON");
    product["draft"]["name"] = "Counted crate".into();
    product["draft"]["variants"][0]["sku"] = "CRATE-1".into();
    product["draft"]["variants"][0]["price_minor"] = 900.into();
    product["draft"]["variants"][0]["initial_stock"] = 10.into();
    std::fs::write(&file, serde_json::to_vec_pretty(&product).unwrap()).unwrap();
    let saved = run(&["products", "save", file.to_str().unwrap(), "--as", "vendor@marketdesk.demo"]);
    assert_eq!(saved.code, 0, "{}", saved.stderr);

    let vendor = ["--as", "vendor@marketdesk.demo"];
    let received =
        run(&[&["stock", "move", "CRATE-1", "+12", "--reason", "received", "--note", "PO 4471"][..], &vendor].concat());
    assert_eq!(received.code, 0, "{}", received.stderr);
    assert!(received.stdout.contains("CRATE-1: Received +12; 22 on hand."), "{}", received.stdout);
    let damaged = run(&[&["stock", "move", "CRATE-1", "-3", "--reason", "damaged"][..], &vendor].concat());
    assert!(damaged.stdout.contains("19 on hand"), "{} {}", damaged.stdout, damaged.stderr);

    // Against its reason's way, past the shelf, or an unknown reason: refused, nothing written.
    let wrong = run(&[&["stock", "move", "CRATE-1", "-1", "--reason", "received"][..], &vendor].concat());
    assert!(one_error_line(&wrong).contains("only adds units"), "{}", wrong.stderr);
    let past = run(&[&["stock", "move", "CRATE-1", "-50", "--reason", "lost"][..], &vendor].concat());
    assert!(one_error_line(&past).contains("not enough stock of CRATE-1"), "{}", past.stderr);
    let unknown = run(&[&["stock", "move", "CRATE-1", "+1", "--reason", "teleported"][..], &vendor].concat());
    assert_ne!(unknown.code, 0);
    assert!(unknown.stderr.contains("unknown kind of stock change"), "{}", unknown.stderr);

    let history = run(&["stock", "history", "CRATE-1"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    let rows: Vec<&str> = history.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{}", history.stdout);
    assert!(rows[0].contains("Damaged") && rows[0].contains("-3") && rows[0].contains("19"), "{}", rows[0]);
    assert!(rows[1].contains("Received") && rows[1].contains("+12") && rows[1].contains("PO 4471"), "{}", rows[1]);
    assert!(rows[2].contains("Opening") && rows[2].contains("+10"), "{}", rows[2]);
    let only = run(&["stock", "history", "CRATE-1", "--kind", "received"]);
    assert_eq!(only.stdout.lines().skip(1).count(), 1, "{}", only.stdout);
}

#[test]
fn the_catalog_goes_out_as_csv_and_comes_back_checked_then_applied() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let vendor = ["--as", "vendor@marketdesk.demo"];
    let out = home.path().join("mine.csv");
    let exported = run(&[&["products", "export", out.to_str().unwrap()][..], &vendor].concat());
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    assert!(exported.stdout.starts_with("Wrote "), "{}", exported.stdout);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("handle,vendor,name,description,category,currency,"), "{text}");

    // Imported back as it is: checked, nothing to write.
    let back = run(&[&["products", "import", out.to_str().unwrap()][..], &vendor].concat());
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert!(back.stdout.contains(" 0 product(s) new, 0 changed, "), "{}", back.stdout);

    // A new product and a broken row: every problem by line, nothing written, even with --apply.
    // A category by its name (the export writes paths; the import takes either).
    let category = "Cookware";
    let file = home.path().join("new.csv");
    std::fs::write(
        &file,
        format!("handle,name,category,currency,sku,price,stock\ncrate,Crate,{category},EUR,CRATE-9,9.5,4\nbox,Box,{category},EUR,BOX-1,x,1\n"),
    )
    .unwrap();
    let broken = run(&[&["products", "import", file.to_str().unwrap(), "--apply"][..], &vendor].concat());
    assert_ne!(broken.code, 0);
    assert!(broken.stderr.contains("line 3, price: “x” is not a number"), "{}", broken.stderr);
    assert!(broken.stderr.contains("1 problem(s); nothing was written"), "{}", broken.stderr);
    let none = run(&["products", "list", "--search", "CRATE-9"]);
    assert!(none.stdout.contains("No products match."), "{}", none.stdout);

    std::fs::write(
        &file,
        format!("handle,name,category,currency,sku,price,stock\ncrate,Crate,{category},EUR,CRATE-9,9.5,4\n"),
    )
    .unwrap();
    let dry = run(&[&["products", "import", file.to_str().unwrap()][..], &vendor].concat());
    assert!(dry.stdout.contains("1 product(s) new") && dry.stdout.contains("add --apply"), "{}", dry.stdout);
    let applied = run(&[&["products", "import", file.to_str().unwrap(), "--apply"][..], &vendor].concat());
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    assert!(applied.stdout.starts_with("Imported 1 row(s)"), "{}", applied.stdout);

    // One change to every product the search matches: previewed, then made for the number confirmed.
    let bulk = |extra: &[&str]| {
        run(&[&["products", "bulk", "--search", "crate", "--price", "11"][..], extra, &vendor[..]].concat())
    };
    let preview = bulk(&[]);
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    assert!(preview.stdout.contains("add --apply --expect 1"), "{}", preview.stdout);
    let stale = bulk(&["--apply", "--expect", "2"]);
    assert!(one_error_line(&stale).contains("the list changed since the preview"), "{}", stale.stderr);
    let made = bulk(&["--apply", "--expect", "1"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.contains("Changed 1 (1 variant(s))"), "{}", made.stdout);
    assert!(made.stdout.contains("1 price now 11.00 EUR"), "{}", made.stdout);

    // A stock count for it: 4 on hand, 7 counted.
    let count = home.path().join("count.csv");
    std::fs::write(&count, "sku;counted;note\nCRATE-9;7;aisle 3\n").unwrap();
    let counted =
        run(&[&["stock", "count", count.to_str().unwrap(), "--apply"][..], &["--as", "logistics@marketdesk.demo"][..]]
            .concat());
    assert_eq!(counted.code, 0, "{}", counted.stderr);
    assert!(counted.stdout.contains("4 → 7 (+3)"), "{}", counted.stdout);
    let history = run(&["stock", "history", "CRATE-9"]);
    assert!(history.stdout.contains("Counted") && history.stdout.contains("aisle 3"), "{}", history.stdout);
}
