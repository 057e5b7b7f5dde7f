//! Cloudinary (<https://cloudinary.com/documentation/image_upload_api_reference>):
//! where a marketplace's product images are published when it has an account.
//! Signed calls of the Upload API — `upload` (multipart, the file and its
//! signed parameters) and `destroy` — and the delivery URLs with a
//! transformation for thumbnails. The signature is the SHA-1 of the signed
//! parameters sorted by name, joined as `name=value&…`, followed by the API
//! secret; it is valid for an hour from its `timestamp`.

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use std::time::Duration;

/// Cloudinary's API.
pub const API: &str = "https://api.cloudinary.com";
/// Where Cloudinary delivers images.
pub const DELIVERY: &str = "https://res.cloudinary.com";
/// The folder images go in unless the settings name another.
pub const DEFAULT_FOLDER: &str = "marketdesk/products";

/// Why a Cloudinary call did not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudinaryError {
    /// This machine has no (complete) Cloudinary account.
    #[error("Cloudinary is not configured: {0}")]
    NotConfigured(String),
    /// Worth trying again later (rate limit, server trouble, network).
    #[error("Cloudinary did not take it yet: {0}")]
    Retry(String),
    /// Will never work as it is (bad credentials, a file it refuses).
    #[error("Cloudinary refused it: {0}")]
    Refused(String),
}

/// The part of the account kept in platform settings (`cloudinary`): nothing secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CloudinarySettings {
    /// The product environment's cloud name.
    pub cloud_name: String,
    /// The API key (public; the secret is in the keychain).
    pub api_key: String,
    /// The folder uploads go in; empty for [`DEFAULT_FOLDER`].
    #[serde(default)]
    pub folder: String,
}

impl CloudinarySettings {
    /// The platform setting's key.
    pub const KEY: &'static str = "cloudinary";
}

/// An asset Cloudinary holds, as its upload answer describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Uploaded {
    /// Its public id, folder included.
    pub public_id: String,
    /// Its version (part of delivery URLs).
    pub version: i64,
    /// Where it is delivered.
    pub secure_url: String,
    /// Pixels across.
    pub width: i32,
    /// Pixels down.
    pub height: i32,
    /// File format (`jpg`, `png` …).
    pub format: String,
    /// Size of the stored file.
    pub bytes: i64,
}

/// What a destroy call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destroyed {
    /// The asset is gone.
    Removed,
    /// There was no such asset (gone already).
    NotFound,
}

/// A signed client of one Cloudinary account.
#[derive(Clone)]
pub struct Cloudinary {
    http: reqwest::Client,
    api: String,
    delivery: String,
    cloud_name: String,
    api_key: String,
    api_secret: String,
    folder: String,
}

impl std::fmt::Debug for Cloudinary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cloudinary")
            .field("api", &self.api)
            .field("cloud_name", &self.cloud_name)
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorMessage,
}

#[derive(Deserialize)]
struct ErrorMessage {
    message: String,
}

#[derive(Deserialize)]
struct DestroyAnswer {
    result: String,
}

impl Cloudinary {
    /// A client of the account `settings` names, signing with `api_secret`,
    /// calling `api` and delivering from `delivery` (Cloudinary's, or a local fake's).
    pub fn new(
        settings: &CloudinarySettings,
        api_secret: &str,
        api: &str,
        delivery: &str,
    ) -> Result<Self, CloudinaryError> {
        let missing = [
            ("the cloud name", settings.cloud_name.trim()),
            ("the API key", settings.api_key.trim()),
            ("the API secret", api_secret.trim()),
        ];
        if let Some((what, _)) = missing.iter().find(|(_, v)| v.is_empty()) {
            return Err(CloudinaryError::NotConfigured(format!("{what} is missing")));
        }
        if !settings.cloud_name.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(CloudinaryError::NotConfigured(format!(
                "“{}” is not a cloud name (letters, digits, - and _)",
                settings.cloud_name.trim()
            )));
        }
        let folder = settings.folder.trim().trim_matches('/');
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("marketdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CloudinaryError::NotConfigured(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            api: api.trim_end_matches('/').to_owned(),
            delivery: delivery.trim_end_matches('/').to_owned(),
            cloud_name: settings.cloud_name.trim().to_owned(),
            api_key: settings.api_key.trim().to_owned(),
            api_secret: api_secret.trim().to_owned(),
            folder: if folder.is_empty() { DEFAULT_FOLDER.to_owned() } else { folder.to_owned() },
        })
    }

    /// The account this machine is configured for: `settings` from the
    /// platform settings, the secret from the keychain; each part overridden
    /// by `MARKETDESK_CLOUDINARY_CLOUD_NAME`, `_API_KEY`, `_API_SECRET`, and
    /// the addresses by `MARKETDESK_CLOUDINARY_API` / `_DELIVERY` (a local
    /// fake). `None` when no cloud name is set anywhere: images stay in the
    /// marketplace's own store.
    pub fn configured(settings: Option<CloudinarySettings>) -> Result<Option<Self>, CloudinaryError> {
        let var =
            |part: &str| std::env::var(format!("MARKETDESK_CLOUDINARY_{part}")).ok().filter(|v| !v.trim().is_empty());
        let mut settings = settings.unwrap_or_default();
        if let Some(name) = var("CLOUD_NAME") {
            settings.cloud_name = name;
        }
        if let Some(key) = var("API_KEY") {
            settings.api_key = key;
        }
        if settings.cloud_name.trim().is_empty() {
            return Ok(None);
        }
        let secret = match var("API_SECRET") {
            Some(s) => s,
            None => {
                let account = crate::secrets::integration("cloudinary").map(|i| i.account).unwrap_or_default();
                crate::secrets::get(account).ok().flatten().ok_or_else(|| {
                    CloudinaryError::NotConfigured(
                        "no API secret on this machine: keep one in the keychain (`marketdesk secret set cloudinary`)"
                            .into(),
                    )
                })?
            }
        };
        let api = var("API").unwrap_or_else(|| API.to_owned());
        let delivery = var("DELIVERY").unwrap_or_else(|| DELIVERY.to_owned());
        Self::new(&settings, &secret, &api, &delivery).map(Some)
    }

    /// The folder uploads go in.
    pub fn folder(&self) -> &str {
        &self.folder
    }

    /// The signature of `params` (name, value), as the Upload API checks it.
    pub fn sign(&self, params: &[(&str, String)]) -> String {
        signature(params, &self.api_secret)
    }

    /// Uploads `bytes` (named `file_name`) as the image `public_id` in this
    /// account's folder. The same id uploaded again answers with the asset
    /// already there (`overwrite=false`), so a retried upload makes no copy.
    pub async fn upload(&self, public_id: &str, file_name: &str, bytes: Vec<u8>) -> Result<Uploaded, CloudinaryError> {
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let signed = vec![
            ("folder", self.folder.clone()),
            ("overwrite", "false".to_owned()),
            ("public_id", public_id.to_owned()),
            ("timestamp", timestamp),
        ];
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &signed {
            form = form.text(*name, value.clone());
        }
        form = form
            .text("api_key", self.api_key.clone())
            .text("signature", self.sign(&signed))
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
        let url = format!("{}/v1_1/{}/image/upload", self.api, self.cloud_name);
        let response = self.http.post(url).multipart(form).send().await.map_err(unanswered)?;
        let body = answer(response).await?;
        serde_json::from_str(&body)
            .map_err(|e| CloudinaryError::Retry(format!("unreadable upload answer ({e}): {}", clip(&body))))
    }

    /// Removes the image `public_id` and asks the CDN to forget its copies.
    pub async fn destroy(&self, public_id: &str) -> Result<Destroyed, CloudinaryError> {
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let signed =
            vec![("invalidate", "true".to_owned()), ("public_id", public_id.to_owned()), ("timestamp", timestamp)];
        let mut fields: Vec<(&str, String)> = signed.clone();
        fields.push(("api_key", self.api_key.clone()));
        fields.push(("signature", self.sign(&signed)));
        let url = format!("{}/v1_1/{}/image/destroy", self.api, self.cloud_name);
        let response = self.http.post(url).form(&fields).send().await.map_err(unanswered)?;
        let body = answer(response).await?;
        let answer: DestroyAnswer = serde_json::from_str(&body)
            .map_err(|e| CloudinaryError::Retry(format!("unreadable destroy answer ({e}): {}", clip(&body))))?;
        match answer.result.as_str() {
            "ok" => Ok(Destroyed::Removed),
            "not found" => Ok(Destroyed::NotFound),
            other => Err(CloudinaryError::Refused(format!("destroy answered “{other}”"))),
        }
    }

    /// The delivery URL of `public_id` (at `version`) scaled to fit a
    /// `side`×`side` square, as a JPEG: Cloudinary makes it once and its CDN
    /// keeps it.
    pub fn thumbnail_url(&self, public_id: &str, version: i64, side: u32) -> String {
        format!(
            "{}/{}/image/upload/c_limit,w_{side},h_{side},f_jpg,q_auto/v{version}/{public_id}",
            self.delivery, self.cloud_name
        )
    }
}

/// The SHA-1 signature of `params` with `secret`: sorted by name, `a=1&b=2`, then the secret.
pub fn signature(params: &[(&str, String)], secret: &str) -> String {
    let mut sorted: Vec<&(&str, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let joined = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    hex::encode(Sha1::digest(format!("{joined}{secret}").as_bytes()))
}

fn unanswered(e: reqwest::Error) -> CloudinaryError {
    CloudinaryError::Retry(format!("Cloudinary did not answer: {e}"))
}

fn clip(body: &str) -> String {
    body.chars().take(200).collect()
}

/// The body of a successful answer, or the error its status and body say.
async fn answer(response: reqwest::Response) -> Result<String, CloudinaryError> {
    let status = response.status();
    let body = response.text().await.map_err(unanswered)?;
    if status.is_success() {
        return Ok(body);
    }
    let detail = serde_json::from_str::<ErrorBody>(&body).map(|e| e.error.message).unwrap_or_else(|_| clip(&body));
    let code = status.as_u16();
    Err(match code {
        420 | 429 | 500..=599 => CloudinaryError::Retry(format!("HTTP {code}: {detail}")),
        401 | 403 => CloudinaryError::Refused(format!("the API key or secret was refused: {detail}")),
        _ => CloudinaryError::Refused(format!("HTTP {code}: {detail}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_sorts_the_parameters_and_ends_with_the_secret() {
        let params = [("timestamp", "1315060510".to_owned()), ("public_id", "sample_image".to_owned())];
        let expected = hex::encode(Sha1::digest(b"public_id=sample_image&timestamp=1315060510abcd"));
        assert_eq!(signature(&params, "abcd"), expected);
        assert_ne!(signature(&params, "abce"), expected);
    }

    #[test]
    fn an_incomplete_account_says_what_is_missing() {
        let settings = CloudinarySettings { cloud_name: "demo".into(), api_key: String::new(), folder: String::new() };
        let e = Cloudinary::new(&settings, "s", API, DELIVERY).unwrap_err();
        assert_eq!(e, CloudinaryError::NotConfigured("the API key is missing".into()));
        let bad = CloudinarySettings { cloud_name: "de mo".into(), api_key: "k".into(), folder: String::new() };
        assert!(matches!(Cloudinary::new(&bad, "s", API, DELIVERY), Err(CloudinaryError::NotConfigured(_))));
    }
}
