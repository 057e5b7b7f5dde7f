//! The updater refuses what it must: an update whose artifact was tampered with
//! after signing, or one signed with a key other than the app's. The release
//! manifest and artifacts are served on loopback; keys and signatures are made
//! with the Tauri CLI (`ui/node_modules/.bin/tauri signer`), exactly as a
//! release would be signed.

use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use tauri_plugin_updater::UpdaterExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn tauri_cli() -> PathBuf {
    let cli = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/.bin/tauri");
    assert!(cli.exists(), "the Tauri CLI is missing: run `npm ci` in ui/ (cargo xtask test does)");
    cli
}

/// A fresh minisign key pair made by `tauri signer generate`: (private key file, public key text).
fn keypair(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new(tauri_cli())
        .args(["signer", "generate", "--ci", "-p", "", "-f", "-w"])
        .arg(&key)
        .output()
        .expect("run tauri signer generate");
    assert!(out.status.success(), "signer generate: {}", String::from_utf8_lossy(&out.stderr));
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).expect("public key");
    (key, public.trim().to_owned())
}

/// The signature `tauri signer sign` makes for `file` with `key`.
fn sign(key: &Path, file: &Path) -> String {
    let out = Command::new(tauri_cli())
        .args(["signer", "sign", "-p", "", "-f"])
        .arg(key)
        .arg(file)
        .output()
        .expect("run tauri signer sign");
    assert!(out.status.success(), "signer sign: {}", String::from_utf8_lossy(&out.stderr));
    let mut sig = file.as_os_str().to_owned();
    sig.push(".sig");
    std::fs::read_to_string(sig).expect("signature file")
}

/// Serves a manifest offering version 9.9.9 with `artifact` and `signature`,
/// then checks and downloads it with an updater trusting `trusted_pubkey`.
async fn download(trusted_pubkey: &str, artifact: &[u8], signature: &str) -> Result<Vec<u8>, String> {
    let server = MockServer::start().await;
    let target = tauri_plugin_updater::target().expect("a supported platform");
    let manifest = json!({
        "version": "9.9.9",
        "notes": "test release",
        "pub_date": "2026-11-01T00:00:00Z",
        "platforms": { target: { "signature": signature, "url": format!("{}/marketdesk.tar.gz", server.uri()) } }
    });
    Mock::given(method("GET"))
        .and(path("/latest.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(manifest))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/marketdesk.tar.gz"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(artifact.to_vec()))
        .mount(&server)
        .await;

    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": trusted_pubkey, "endpoints": [], "dangerousInsecureTransportProtocol": true }),
    );
    let app = tauri::test::mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .map_err(|e| e.to_string())?;
    let endpoint = format!("{}/latest.json", server.uri()).parse().expect("url");
    let updater = app
        .updater_builder()
        .endpoints(vec![endpoint])
        .map_err(|e| e.to_string())?
        .build()
        .map_err(|e| e.to_string())?;
    let update = updater.check().await.map_err(|e| e.to_string())?.ok_or("no update offered")?;
    update.download(|_, _| {}, || {}).await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn only_an_intact_update_signed_with_our_key_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, our_public) = keypair(dir.path(), "ours.key");
    let (theirs, _) = keypair(dir.path(), "theirs.key");

    let artifact = dir.path().join("marketdesk.tar.gz");
    let bytes = b"the real release, byte for byte".to_vec();
    std::fs::write(&artifact, &bytes).unwrap();
    let good = sign(&ours, &artifact);

    // The control: intact and signed with our key downloads and verifies.
    let got = download(&our_public, &bytes, &good).await.expect("a genuine update is accepted");
    assert_eq!(got, bytes);

    // One byte changed after signing: refused.
    let mut tampered = bytes.clone();
    tampered[4] ^= 0x20;
    let err = download(&our_public, &tampered, &good).await.expect_err("a tampered update must be refused");
    assert!(err.to_lowercase().contains("signature"), "refused, but for another reason: {err}");

    // Signed with someone else's key: refused.
    let foreign = sign(&theirs, &artifact);
    let err = download(&our_public, &bytes, &foreign).await.expect_err("a wrongly-signed update must be refused");
    assert!(err.to_lowercase().contains("key") || err.to_lowercase().contains("signature"), "{err}");
}

#[test]
fn the_app_ships_a_public_key_for_updates() {
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tauri.conf.json")).unwrap();
    let conf: serde_json::Value = serde_json::from_str(&text).unwrap();
    let key = conf["plugins"]["updater"]["pubkey"].as_str().expect("plugins.updater.pubkey");
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD.decode(key).expect("base64 public key");
    assert!(String::from_utf8_lossy(&decoded).contains("minisign public key"), "not a minisign key");
}
