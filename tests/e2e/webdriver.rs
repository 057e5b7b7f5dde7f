//! A small W3C WebDriver client: just what the end-to-end tests use, over
//! reqwest. Every call fails with the driver's own error message.

use base64::Engine as _;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The W3C key for an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session (one app instance).
pub struct Session {
    http: reqwest::Client,
    base: String,
}

/// A found element.
#[derive(Clone)]
pub struct Element {
    id: String,
}

type Result<T> = std::result::Result<T, String>;

async fn call(http: &reqwest::Client, method: reqwest::Method, url: &str, body: Option<Value>) -> Result<Value> {
    let mut req = http.request(method.clone(), url);
    if let Some(b) = body {
        req = req.json(&b);
    } else if method == reqwest::Method::POST {
        req = req.json(&json!({}));
    }
    let resp = req.send().await.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = resp.status();
    let value: Value = resp.json().await.map_err(|e| format!("{method} {url}: bad JSON: {e}"))?;
    if !status.is_success() {
        let v = &value["value"];
        return Err(format!("{method} {url}: {} — {}", v["error"], v["message"]));
    }
    Ok(value["value"].clone())
}

impl Session {
    /// Starts the app at `application` (with `args`) through the driver at `driver_url`.
    pub async fn start(driver_url: &str, application: &str, args: &[&str]) -> Result<Session> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
        let caps =
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": application, "args": args}}}});
        // tauri-driver accepts connections before its WebKitWebDriver is ready; on
        // a loaded machine the first request can be dropped. Only that is retried.
        let mut attempt = 0;
        let v = loop {
            attempt += 1;
            match call(&http, reqwest::Method::POST, &format!("{driver_url}/session"), Some(caps.clone())).await {
                Err(e) if attempt < 5 && e.contains("error sending request") => {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                other => break other?,
            }
        };
        let id = v["sessionId"].as_str().ok_or("no sessionId")?.to_owned();
        Ok(Session { http, base: format!("{driver_url}/session/{id}") })
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        call(&self.http, reqwest::Method::POST, &format!("{}{path}", self.base), Some(body)).await
    }

    async fn get(&self, path: &str) -> Result<Value> {
        call(&self.http, reqwest::Method::GET, &format!("{}{path}", self.base), None).await
    }

    /// Ends the session (the driver allows only one at a time: always call this).
    pub async fn end(self) -> Result<()> {
        call(&self.http, reqwest::Method::DELETE, &self.base, None).await.map(|_| ())
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": args})).await
    }

    /// Runs an async script: its last argument is the callback to call with the result.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/async", json!({"script": script, "args": args})).await
    }

    /// The elements matching a CSS selector (possibly none). WebKit's driver can
    /// answer "stale element reference" when the page re-renders mid-search;
    /// only that is asked again, for up to 3 s.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let start = Instant::now();
        let v = loop {
            match self.post("/elements", json!({"using": "css selector", "value": css})).await {
                Err(e) if e.contains("stale element") && start.elapsed() < Duration::from_secs(3) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => break other?,
            }
        };
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT_KEY].as_str()).map(|id| Element { id: id.to_owned() }).collect())
            .unwrap_or_default())
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find_all(css).await?.into_iter().next() {
                return Ok(e);
            }
            if start.elapsed() > timeout {
                let body = self.text_of("body").await.unwrap_or_default();
                let found = self.post("/elements", json!({"using": "css selector", "value": css})).await;
                return Err(format!(
                    "no “{css}” after {timeout:?} (the driver answered {found:?}); the page says: {}",
                    body.chars().take(300).collect::<String>()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<String> {
        let start = Instant::now();
        loop {
            let now = self.text_of(css).await.unwrap_or_default();
            if now.contains(text) {
                return Ok(now);
            }
            if start.elapsed() > timeout {
                return Err(format!(
                    "“{css}” never showed “{text}” (it shows “{}”)",
                    now.chars().take(600).collect::<String>()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> Result<String> {
        let v = self
            .execute("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", vec![json!(css)])
            .await?;
        v.as_str().map(str::to_owned).ok_or_else(|| format!("no “{css}”"))
    }

    /// Posts `body` to an element's `action`, again for up to 3 s while the
    /// driver says it is not interactable (a dialog still animating in or out).
    async fn on_element(&self, e: &Element, action: &str, body: Value) -> Result<()> {
        let start = Instant::now();
        loop {
            match self.post(&format!("/element/{}/{action}", e.id), body.clone()).await {
                Err(err) if err.contains("not interactable") && start.elapsed() < Duration::from_secs(3) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => return other.map(|_| ()),
            }
        }
    }

    /// Waits (up to 2 s) until `e` stops moving and is enabled: a click lands
    /// where the element is when the driver measures it, so one on a dialog
    /// still zooming in can miss it, and one on a disabled button does nothing.
    async fn settle(&self, e: &Element) -> Result<()> {
        let script = "const r = arguments[0].getBoundingClientRect(); \
                      return [r.x, r.y, r.width, r.height, !!arguments[0].disabled].join(',');";
        let reference = json!({ ELEMENT_KEY: e.id });
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < Duration::from_secs(2) {
            let now = self.execute(script, vec![reference.clone()]).await?.as_str().unwrap_or_default().to_owned();
            if now == last && !now.ends_with("true") {
                return Ok(());
            }
            last = now;
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        Ok(())
    }

    /// Clicks an element once it has settled.
    pub async fn click(&self, e: &Element) -> Result<()> {
        self.settle(e).await?;
        self.on_element(e, "click", json!({})).await
    }

    /// Waits up to `timeout` for an element matching `css` and clicks it. A
    /// screen that renders again between finding and clicking (data arriving,
    /// a live update) leaves a stale element: it is found again and clicked.
    pub async fn click_on(&self, css: &str, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            let e = self.wait_for(css, timeout.saturating_sub(start.elapsed())).await?;
            match self.click(&e).await {
                Err(err) if err.contains("stale element") && start.elapsed() < timeout => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    /// Clears an input and types `text` into it.
    pub async fn type_into(&self, e: &Element, text: &str) -> Result<()> {
        self.on_element(e, "clear", json!({})).await?;
        self.on_element(e, "value", json!({"text": text})).await
    }

    /// Sends keys to the focused element (WebDriver key codes like `\u{E007}` for Enter).
    pub async fn keys(&self, e: &Element, keys: &str) -> Result<()> {
        self.on_element(e, "value", json!({"text": keys})).await
    }

    /// A PNG of the window, after two animation frames so it matches the DOM.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        self.execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
        let v = self.get("/screenshot").await?;
        let b64 = v.as_str().ok_or("screenshot is not text")?;
        base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| e.to_string())
    }
}
