//! `reviews` and `products images` from a terminal: the held reviews listed,
//! one hidden with its reason and shown hidden; the vendor answers a
//! published one; a picture added to a product, listed, moved and removed,
//! and a file that is not a picture refused by name.

use super::{one_error_line, seeded_file};
use marketdesk_test_support::marketdesk;
use sqlx::Connection;

/// A 2×2 red PNG.
const PNG: [u8; 73] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0, 253, 212, 154,
    115, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 56, 33, 39, 7, 68, 12, 16, 10, 0, 31, 38, 4, 17, 162, 143, 34, 175,
    0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

fn first_id(stdout: &str) -> String {
    stdout.split_whitespace().find(|w| w.len() == 36 && w.matches('-').count() == 4).expect(stdout).to_owned()
}

#[test]
fn reviews_and_images_are_kept_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let admin = "admin@marketdesk.demo";
    let vendor = "vendor@marketdesk.demo";

    let held = run(&["reviews", "list", "--status", "pending", "--as", admin]);
    assert_eq!(held.code, 0, "{}", held.stderr);
    let id = first_id(&held.stdout);
    let hidden = run(&["reviews", "hide", &id, "--reason", "Names a person", "--as", admin]);
    assert_eq!(hidden.code, 0, "{}", hidden.stderr);
    assert!(hidden.stdout.contains("hidden: Names a person"), "{}", hidden.stdout);
    let refused = run(&["reviews", "hide", &id, "--reason", "Again", "--as", vendor]);
    assert_ne!(refused.code, 0);

    let open = run(&["reviews", "list", "--unanswered", "--as", vendor]);
    assert_eq!(open.code, 0, "{}", open.stderr);
    let answered = run(&["reviews", "reply", &first_id(&open.stdout), "Thank you!", "--as", vendor]);
    assert_eq!(answered.code, 0, "{}", answered.stderr);
    assert!(answered.stdout.contains("replied: Thank you!"), "{}", answered.stdout);

    let rt = tokio::runtime::Runtime::new().unwrap();
    let product: String = rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar(
            "SELECT lower(hex(p.id)) FROM products p JOIN users u ON u.id = p.vendor_id \
             WHERE u.email = 'vendor@marketdesk.demo' ORDER BY p.id LIMIT 1",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
    });
    let product = format!(
        "{}-{}-{}-{}-{}",
        &product[0..8],
        &product[8..12],
        &product[12..16],
        &product[16..20],
        &product[20..32]
    );
    let picture = home.path().join("front.png");
    std::fs::write(&picture, PNG).unwrap();
    let notes = home.path().join("notes.txt");
    std::fs::write(&notes, "not a picture").unwrap();
    let pic = picture.to_str().unwrap();
    let added = run(&["products", "images", "add", &product, pic, "--alt", "Front", "--as", vendor]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let text = run(&["products", "images", "add", &product, notes.to_str().unwrap(), "--as", vendor]);
    assert_eq!(one_error_line(&text), "error: notes.txt is not a JPEG, PNG, WebP or GIF image");
    let listed = run(&["products", "images", "list", &product]);
    assert!(listed.stdout.contains("2×2  marketplace store  “Front”"), "{}", listed.stdout);
    let image = listed.stdout.lines().find(|l| l.contains("“Front”")).map(first_id).unwrap();
    let moved = run(&["products", "images", "move", &image, "--to", "1", "--as", vendor]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert!(moved.stdout.starts_with(&format!("1. {image}")), "{}", moved.stdout);
    assert_eq!(run(&["products", "images", "remove", &image, "--as", vendor]).code, 0);
    assert!(!run(&["products", "images", "list", &product]).stdout.contains(&image));
    let publish = run(&["products", "images", "publish"]);
    assert!(publish.stdout.contains("No Cloudinary account is configured"), "{}", publish.stdout);
}
