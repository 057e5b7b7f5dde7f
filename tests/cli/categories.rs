//! `categories`: the tree kept from a terminal — a category added under
//! another by path, renamed, moved to the root with its branch, a cycle
//! refused, merged with its products, and an archive refused while full.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;

#[test]
fn the_category_tree_is_kept_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let admin = ["--as", "admin@marketdesk.demo"];
    let act = |args: &[&str]| run(&[args, &admin[..]].concat());

    let list = run(&["categories", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("Cookware"), "{}", list.stdout);

    let added = act(&["categories", "add", "Tea sets", "--parent", "Cookware"]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let path = |name: &str| {
        let list = run(&["categories", "list"]);
        let line = list
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {}", list.stdout))
            .to_owned();
        line.split_whitespace().last().unwrap().to_owned()
    };
    let tea = path("Tea sets");
    assert!(tea.ends_with("/tea-sets/") && tea.contains("cookware"), "{tea}");

    // A category cannot go under its own branch.
    let cycle = act(&["categories", "move", "Cookware", "--to", tea.trim_matches('/')]);
    assert_ne!(cycle.code, 0);
    assert!(one_error_line(&cycle).contains("cannot move under itself or its own branch"), "{}", cycle.stderr);

    assert_eq!(act(&["categories", "rename", "Tea sets", "Tea and coffee"]).code, 0);
    let moved = act(&["categories", "move", "Tea and coffee", "--root"]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert_eq!(path("Tea and coffee"), "/tea-sets/", "the slug stays, the branch moves to the root");

    // Full categories are merged, not archived.
    let full = act(&["categories", "archive", "Cookware"]);
    assert_ne!(full.code, 0);
    let merged = act(&["categories", "merge", "Tea and coffee", "--into", "Cookware"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert!(!run(&["categories", "list"]).stdout.contains("Tea and coffee"));
}
