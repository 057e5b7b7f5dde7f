//! Product images on both engines: an upload checked by its bytes, stored
//! once by its SHA-256 with a thumbnail on the row, ordered, described and
//! removed by the product's vendor (never another vendor's, never by
//! logistics), each step in the audit trail; the original served from the
//! store and kept in a cache folder. Then publishing to Cloudinary through
//! the real client against a local fake of its Upload API that checks every
//! signature: an upload published once even when two products use the same
//! file, a removed image destroyed there, a refused secret and a rate limit
//! kept on the row and retried.

use image::ImageFormat;
use marketdesk_core::Store;
use marketdesk_core::catalog::image_publishing::{image_original, publish_images};
use marketdesk_core::catalog::images::{
    ImageError, ImageStorage, add_image, list_images, remove_image, reorder_images, set_alt_text,
};
use marketdesk_core::catalog::snapshot::product_changes;
use marketdesk_core::domain::Role;
use marketdesk_core::integrations::cloudinary::{Cloudinary, CloudinarySettings, signature};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

on_both_engines!(
    a_gallery_is_uploaded_ordered_described_and_removed,
    uploads_are_published_on_cloudinary_once,
    a_live_products_new_picture_goes_back_to_review,
);

const SECRET: &str = "fake-secret-for-tests";

struct People {
    admin: Reader,
    vendor: Reader,
    other: Reader,
    logistics: Reader,
    product: Uuid,
    second: Uuid,
}

async fn seeded(store: &Store) -> People {
    let mut o = SeedOptions::new(30);
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
    let rows: Vec<(Uuid, Role)> = fetch_all!(
        store,
        "SELECT id, role FROM users WHERE role IN ('admin', 'vendor', 'logistics') ORDER BY created_at, id"
    );
    let nth = |role: Role, n: usize| Reader { id: rows.iter().filter(|r| r.1 == role).nth(n).unwrap().0, role };
    let vendor = nth(Role::Vendor, 0);
    let products: Vec<(Uuid,)> = fetch_all_for!(
        store,
        "SELECT id FROM products WHERE vendor_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 2",
        vendor.id
    );
    People {
        admin: nth(Role::Admin, 0),
        vendor,
        other: nth(Role::Vendor, 1),
        logistics: nth(Role::Logistics, 0),
        product: products[0].0,
        second: products[1].0,
    }
}

fn picture(width: u32, height: u32, format: ImageFormat, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([shade, (x % 256) as u8, (y % 256) as u8]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

async fn a_gallery_is_uploaded_ordered_described_and_removed(store: &Store) {
    let p = seeded(store).await;
    let before = list_images(store, p.vendor, p.product).await.unwrap().len();
    for old in list_images(store, p.admin, p.product).await.unwrap() {
        remove_image(store, p.admin, old.id).await.unwrap();
    }
    assert!(list_images(store, p.vendor, p.product).await.unwrap().is_empty(), "had {before}");

    let front_bytes = picture(800, 600, ImageFormat::Png, 10);
    let front = add_image(store, p.vendor, p.product, "front.png", &front_bytes, "  Front view ").await.unwrap();
    assert_eq!(
        (front.position, front.alt_text.as_str(), front.width, front.height),
        (0, "Front view", Some(800), Some(600))
    );
    assert_eq!(front.storage, ImageStorage::Marketplace);
    assert!(front.url.starts_with("local://images/") && front.url.ends_with(".png"), "{}", front.url);
    assert!(front.thumbnail.as_deref().is_some_and(|t| t.starts_with("data:image/jpeg;base64,")));
    let back =
        add_image(store, p.vendor, p.product, "back.jpg", &picture(300, 900, ImageFormat::Jpeg, 90), "").await.unwrap();
    assert_eq!((back.position, back.format.as_deref()), (1, Some("jpeg")));

    // Refusals: not a picture, another vendor's product, logistics writing.
    let text = add_image(store, p.vendor, p.product, "notes.txt", b"not an image", "").await;
    assert!(matches!(&text, Err(ImageError::File(e)) if e.0 == "notes.txt is not a JPEG, PNG, WebP or GIF image"));
    let theirs = add_image(store, p.other, p.product, "front.png", &front_bytes, "").await;
    assert!(matches!(theirs, Err(ImageError::Store(StoreError::NotFound { .. }))), "{theirs:?}");
    assert!(matches!(list_images(store, p.other, p.product).await, Err(StoreError::NotFound { .. })));
    let logistics = add_image(store, p.logistics, p.product, "front.png", &front_bytes, "").await;
    assert!(matches!(logistics, Err(ImageError::Store(StoreError::AccessDenied(_)))));
    assert_eq!(list_images(store, p.logistics, p.product).await.unwrap().len(), 2, "logistics look");

    // The same file on a second product is stored once.
    add_image(store, p.vendor, p.second, "front.png", &front_bytes, "Front").await.unwrap();
    let files: Vec<(i64,)> = fetch_all!(store, "SELECT count(*) FROM image_files");
    assert_eq!(files[0].0, 2, "two distinct files");

    let order = reorder_images(store, p.vendor, p.product, &[back.id, front.id]).await.unwrap();
    assert_eq!(order.iter().map(|i| (i.id, i.position)).collect::<Vec<_>>(), vec![(back.id, 0), (front.id, 1)]);
    let stale = reorder_images(store, p.vendor, p.product, &[back.id]).await;
    assert!(matches!(&stale, Err(StoreError::Validation(m)) if m.contains("reload")), "{stale:?}");

    let described = set_alt_text(store, p.vendor, front.id, "Front, on a hanger", front.version + 1).await.unwrap();
    assert_eq!(described.alt_text, "Front, on a hanger");
    let late = set_alt_text(store, p.vendor, front.id, "Late", front.version).await;
    assert!(matches!(late, Err(StoreError::VersionConflict { .. })), "{late:?}");
    let long = set_alt_text(store, p.vendor, front.id, &"x".repeat(501), described.version).await;
    assert!(matches!(long, Err(StoreError::Validation(_))));

    let cache = tempfile::tempdir().unwrap();
    let (bytes, format) = image_original(store, p.logistics, front.id, Some(cache.path())).await.unwrap();
    assert_eq!((bytes == front_bytes, format.as_str()), (true, "png"));
    let kept = cache.path().join(front.url.trim_start_matches("local://images/"));
    assert_eq!(std::fs::read(&kept).unwrap(), front_bytes, "kept for offline use");
    let (again, _) = image_original(store, p.vendor, front.id, Some(cache.path())).await.unwrap();
    assert_eq!(again, front_bytes);

    remove_image(store, p.vendor, back.id).await.unwrap();
    let left = list_images(store, p.vendor, p.product).await.unwrap();
    assert_eq!(left.iter().map(|i| (i.id, i.position)).collect::<Vec<_>>(), vec![(front.id, 0)]);
    let audit: Vec<(String, Option<Uuid>)> = fetch_all_for!(
        store,
        "SELECT action, actor_id FROM audit_log WHERE entity_id = $1 AND action LIKE 'products.image%' \
         ORDER BY occurred_at, action",
        p.product
    );
    let actions: Vec<&str> = audit.iter().filter(|a| a.1 == Some(p.vendor.id)).map(|a| a.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "products.image_added",
            "products.image_added",
            "products.images_reordered",
            "products.image_alt_text",
            "products.image_removed"
        ]
    );
}

/// The fields of a multipart or form body.
fn fields(request: &Request) -> HashMap<String, Vec<u8>> {
    let kind = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if kind.starts_with("application/x-www-form-urlencoded") {
        return url::form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned().into_bytes()))
            .collect();
    }
    let boundary = kind.split("boundary=").nth(1).expect("a multipart boundary").trim_matches('"').to_owned();
    let body = &request.body;
    let marker = format!("--{boundary}").into_bytes();
    let mut out = HashMap::new();
    let starts: Vec<usize> =
        body.windows(marker.len()).enumerate().filter(|(_, w)| *w == marker.as_slice()).map(|(i, _)| i).collect();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + marker.len() + 2..pair[1] - 2];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").expect("part headers");
        let head = String::from_utf8_lossy(&part[..split]).to_string();
        let name = head.split("name=\"").nth(1).and_then(|s| s.split('"').next()).expect("a field name").to_owned();
        out.insert(name, part[split + 4..].to_vec());
    }
    out
}

/// Cloudinary's Upload API as documented: signed `upload` and `destroy`,
/// `{"error": {"message": …}}` with 401 for a bad signature.
#[derive(Clone, Default)]
struct FakeCloudinary {
    assets: Arc<Mutex<HashMap<String, usize>>>,
    uploads: Arc<Mutex<usize>>,
    destroyed: Arc<Mutex<Vec<String>>>,
}

impl Respond for FakeCloudinary {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let f = fields(request);
        let text = |k: &str| f.get(k).map(|v| String::from_utf8_lossy(v).to_string()).unwrap_or_default();
        let signed: Vec<(&str, String)> = f
            .keys()
            .filter(|k| !["file", "api_key", "signature", "cloud_name", "resource_type"].contains(&k.as_str()))
            .map(|k| (k.as_str(), text(k)))
            .collect();
        if text("api_key") != "key-123"
            || text("signature") != signature(&signed, SECRET)
            || text("timestamp").is_empty()
        {
            return ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({ "error": { "message": "Invalid Signature" } }));
        }
        let public_id = format!("{}/{}", text("folder"), text("public_id"));
        if request.url.path().ends_with("/destroy") {
            let id = text("public_id");
            let existed = self.assets.lock().unwrap().remove(&id).is_some();
            self.destroyed.lock().unwrap().push(id);
            return ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "result": if existed { "ok" } else { "not found" } }));
        }
        let Some(file) = f.get("file") else {
            return ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({ "error": { "message": "Missing required parameter - file" } }));
        };
        let Ok((w, h)) = image::ImageReader::new(Cursor::new(file)).with_guessed_format().unwrap().into_dimensions()
        else {
            return ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({ "error": { "message": "Invalid image file" } }));
        };
        *self.uploads.lock().unwrap() += 1;
        self.assets.lock().unwrap().insert(public_id.clone(), file.len());
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "asset_id": "3515c6000a548515f1134043f9785c2f", "public_id": public_id, "version": 1_700_000_000,
            "width": w, "height": h, "format": "png", "resource_type": "image", "bytes": file.len(), "type": "upload",
            "secure_url": format!("https://res.cloudinary.com/demo/image/upload/v1700000000/{public_id}.png"),
        }))
    }
}

async fn status_of(store: &Store, product: Uuid) -> String {
    let rows: Vec<(String,)> = fetch_all_for!(store, "SELECT status FROM products WHERE id = $1", product);
    rows[0].0.clone()
}

async fn approve(store: &Store, product: Uuid) {
    let _: Vec<(Uuid,)> =
        fetch_all_for!(store, "UPDATE products SET status = 'approved' WHERE id = $1 RETURNING id", product);
}

async fn a_live_products_new_picture_goes_back_to_review(store: &Store) {
    let p = seeded(store).await;
    approve(store, p.product).await;
    // An admin's picture on a live product changes nothing of its review.
    add_image(store, p.admin, p.product, "admin.png", &picture(40, 40, ImageFormat::Png, 1), "").await.unwrap();
    assert_eq!(status_of(store, p.product).await, "approved");

    // The vendor's goes back to review, and the reviewer sees the gallery's change.
    let mine = add_image(store, p.vendor, p.product, "new.png", &picture(40, 40, ImageFormat::Png, 2), "New").await;
    let mine = mine.unwrap();
    assert_eq!(status_of(store, p.product).await, "pending_review");
    let changes = product_changes(store, p.product).await.unwrap();
    let images = changes.changes.iter().find(|c| c.field == "Images").expect("the gallery is in the diff");
    assert!(images.after.as_deref().is_some_and(|a| a.contains("(New)")), "{images:?}");
    let audit: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'products.back_to_review'",
        p.product
    );
    assert_eq!(audit[0].0, 1);

    // With the platform setting off, a vendor's change to a live product stays live.
    store.put_setting("catalog.review_live_edits", "false", "test").await.unwrap();
    approve(store, p.product).await;
    let seen = list_images(store, p.vendor, p.product).await.unwrap();
    let version = seen.iter().find(|i| i.id == mine.id).unwrap().version;
    set_alt_text(store, p.vendor, mine.id, "Renamed", version).await.unwrap();
    assert_eq!(status_of(store, p.product).await, "approved");
}

async fn uploads_are_published_on_cloudinary_once(store: &Store) {
    let p = seeded(store).await;
    let server = MockServer::start().await;
    let fake = FakeCloudinary::default();
    Mock::given(method("POST")).and(path("/v1_1/demo/image/upload")).respond_with(fake.clone()).mount(&server).await;
    Mock::given(method("POST")).and(path("/v1_1/demo/image/destroy")).respond_with(fake.clone()).mount(&server).await;
    let settings = CloudinarySettings { cloud_name: "demo".into(), api_key: "key-123".into(), folder: String::new() };
    let cloud = Cloudinary::new(&settings, SECRET, &server.uri(), "https://res.cloudinary.com").unwrap();
    let wrong = Cloudinary::new(&settings, "not-the-secret", &server.uri(), "https://res.cloudinary.com").unwrap();

    let bytes = picture(640, 480, ImageFormat::Png, 50);
    let one = add_image(store, p.vendor, p.product, "a.png", &bytes, "A").await.unwrap();
    let two = add_image(store, p.vendor, p.second, "a.png", &bytes, "A").await.unwrap();

    let refused = publish_images(store, &wrong, 50).await.unwrap();
    assert_eq!((refused.published, refused.failed), (0, 1));
    let why: Vec<(Option<String>,)> =
        fetch_all_for!(store, "SELECT publish_error FROM product_images WHERE id = $1", one.id);
    assert!(why[0].0.as_deref().is_some_and(|m| m.contains("Invalid Signature")), "{why:?}");

    let done = publish_images(store, &cloud, 50).await.unwrap();
    assert_eq!((done.published, done.failed), (1, 0), "one file, two images");
    assert_eq!(*fake.uploads.lock().unwrap(), 1);
    for (product, id) in [(p.product, one.id), (p.second, two.id)] {
        let shown = list_images(store, p.vendor, product).await.unwrap();
        let image = shown.iter().find(|i| i.id == id).unwrap();
        assert_eq!(image.storage, ImageStorage::Cloudinary);
        assert!(image.url.starts_with("https://res.cloudinary.com/demo/image/upload/v1700000000/marketdesk/products/"));
        assert_eq!(image.publish_error, None);
        assert!(image.thumbnail.is_some(), "the thumbnail stays for offline use");
    }
    assert_eq!(publish_images(store, &cloud, 50).await.unwrap(), Default::default(), "nothing left to do");

    remove_image(store, p.vendor, one.id).await.unwrap();
    assert_eq!(publish_images(store, &cloud, 50).await.unwrap().removed, 0, "still used by the second product");
    remove_image(store, p.vendor, two.id).await.unwrap();
    let removed = publish_images(store, &cloud, 50).await.unwrap();
    assert_eq!((removed.removed, removed.failed), (1, 0));
    assert_eq!(fake.destroyed.lock().unwrap().len(), 1);
    assert!(fake.assets.lock().unwrap().is_empty());
    assert_eq!(publish_images(store, &cloud, 50).await.unwrap(), Default::default());
    assert_eq!(
        cloud.thumbnail_url("marketdesk/products/x", 17, 320),
        "https://res.cloudinary.com/demo/image/upload/c_limit,w_320,h_320,f_jpg,q_auto/v17/marketdesk/products/x"
    );
}

#[tokio::test]
async fn a_rate_limit_is_worth_retrying_and_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(420)
                .set_body_json(serde_json::json!({ "error": { "message": "Rate Limit Exceeded" } })),
        )
        .mount(&server)
        .await;
    let settings = CloudinarySettings { cloud_name: "demo".into(), api_key: "key-123".into(), folder: "shop".into() };
    let cloud = Cloudinary::new(&settings, SECRET, &server.uri(), "https://res.cloudinary.com").unwrap();
    let e = cloud.upload("abc", "abc.png", picture(10, 10, ImageFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.to_string(), "Cloudinary did not take it yet: HTTP 420: Rate Limit Exceeded");
}
