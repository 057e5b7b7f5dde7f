//! What never reaches a log line or an error report: secrets (API keys of
//! Stripe, Resend, Cloudinary and the carriers, webhook signing secrets,
//! bearer tokens, passwords in database addresses or in `password=` and
//! `"secret": "…"` fields) and personal data (e-mail addresses are cut to
//! their first letter and domain, card numbers that pass the Luhn check are
//! replaced). Applied to every formatted line before it is written, and to
//! every report before it is sent.

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What stands where a secret was.
pub const REDACTED: &str = "[redacted]";

/// Keys of Stripe (`sk_`, `rk_`, `whsec_`), Resend (`re_`) and other vendors'
/// secret-looking tokens.
static VENDOR_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{6,}|\bwhsec_[A-Za-z0-9+/=]{6,}|\bre_[A-Za-z0-9_]{16,}")
        .expect("vendor key pattern")
});
/// `Bearer …` and `Basic …` credentials.
static AUTHORIZATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}").expect("authorization pattern"));
/// A password in a URL's user part: `scheme://user:password@host`.
static URL_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([a-z][a-z0-9+.-]*://[^\s:/@"\\]+:)[^\s@/"\\]+@"#).expect("url password pattern"));
/// A field whose name says it holds a secret, as `name=value`, `name: value`
/// or JSON `"name":"value"`; a value quoted inside a JSON string (`\"…\"`)
/// or bare stops before any quote, so a scrubbed JSON line stays JSON.
static SECRET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)("?[a-z_]*(?:password|passwd|secret|token|api_?key|authorization|dsn|signature)[a-z_]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|\\"[^"\\]*\\"|[^\s,;&}"\\]+)"#,
    )
    .expect("secret field pattern")
});
/// An e-mail address.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b").expect("email pattern")
});
/// 13 to 19 digits, maybe grouped by spaces or dashes: a card number if Luhn says so.
static CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d(?:[ -]?\d){12,18}\b").expect("card pattern"));

/// Whether `digits` (spaces and dashes ignored) pass the Luhn check.
fn luhn(candidate: &str) -> bool {
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if !i.is_multiple_of(2) { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { *d })
        .sum();
    sum.is_multiple_of(10)
}

/// `text` with every secret and piece of personal data this module knows
/// replaced; borrowed when there was nothing to replace.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    let mut apply = |re: &Regex, with: &dyn Fn(&Captures) -> String| {
        if re.is_match(&out) {
            let replaced = re.replace_all(&out, |c: &Captures| with(c)).into_owned();
            if replaced != *out {
                out = Cow::Owned(replaced);
            }
        }
    };
    apply(&URL_PASSWORD, &|c| format!("{}{REDACTED}@", &c[1]));
    apply(&AUTHORIZATION, &|c| format!("{} {REDACTED}", &c[1]));
    apply(&SECRET_FIELD, &|c| {
        let value = &c[2];
        if value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("basic") || value == REDACTED {
            c[0].to_owned()
        } else if value.starts_with("\\\"") {
            format!("{}\\\"{REDACTED}\\\"", &c[1])
        } else if value.starts_with('"') {
            format!("{}\"{REDACTED}\"", &c[1])
        } else {
            format!("{}{REDACTED}", &c[1])
        }
    });
    apply(&VENDOR_KEY, &|_| REDACTED.to_owned());
    apply(&EMAIL, &|c| format!("{}***@{}", &c[1], &c[2]));
    if let Some(cleaned) = without_cards(&out) {
        out = Cow::Owned(cleaned);
    }
    out
}

/// `text` with its card numbers replaced, if it holds any: digit runs that
/// pass the Luhn check and are not part of a longer token (an id's tail, a
/// UUID's last group).
fn without_cards(text: &str) -> Option<String> {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    let mut out = String::new();
    let mut last = 0;
    for m in CARD.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let mut rest = text[m.end()..].chars();
        // A full stop ends a sentence unless a token goes on after it.
        let after = match rest.next() {
            Some('.') => rest.next().filter(char::is_ascii_alphanumeric),
            other => other,
        };
        if glued(before) || glued(after) || !luhn(m.as_str()) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str("[card]");
        last = m.end();
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn secrets_and_personal_data_never_pass() {
        let cases = [
            (concat!("calling Stripe with sk_", "live_51HxYzAbCdEf0123"), "calling Stripe with [redacted]"),
            (concat!("whsec", "_abcdef0123456789 rejected"), "[redacted] rejected"),
            (concat!("resend key re", "_AbCdEf0123456789_xyz"), "resend key [redacted]"),
            ("Authorization: Bearer eyJhbGciOi.J9.abc", "Authorization: Bearer [redacted]"),
            ("header bearer abcdefgh12345678", "header bearer [redacted]"),
            ("postgres://ann:s3cr%40t@db:5432/market", "postgres://ann:[redacted]@db:5432/market"),
            ("password=hunter2 user=ann", "password=[redacted] user=ann"),
            (r#"{"api_key":"abc\"def","n":1}"#, r#"{"api_key":"[redacted]","n":1}"#),
            ("client_secret: xyz123, next", "client_secret: [redacted], next"),
            ("mail to fiona.finance@marketdesk.demo failed", "mail to f***@marketdesk.demo failed"),
            ("card 4242 4242 4242 4242 declined", "card [card] declined"),
            ("card 4242-4242-4242-4242", "card [card]"),
            ("paid with 4242424242424242.", "paid with [card]."),
        ];
        for (given, expected) in cases {
            assert_eq!(scrub(given), expected, "{given}");
        }
    }

    #[test]
    fn a_scrubbed_json_line_is_still_json() {
        let event = serde_json::json!({
            "fields": {
                "message": "sign-in password=\"hunter2\" for ann@example.com via postgres://ann:pw@db/x",
                "url": "postgres://ann:pw@db/x",
                "token": "abc\"def",
            },
            "target": "marketdesk",
        })
        .to_string();
        let clean = scrub(&event);
        let back: serde_json::Value = serde_json::from_str(&clean).unwrap_or_else(|e| panic!("{clean}: {e}"));
        let fields = &back["fields"];
        assert_eq!(
            fields["message"],
            "sign-in password=\"[redacted]\" for a***@example.com via postgres://ann:[redacted]@db/x"
        );
        assert_eq!(fields["url"], "postgres://ann:[redacted]@db/x");
        assert_eq!(fields["token"], "[redacted]");
        assert!(!clean.contains("hunter2") && !clean.contains("pw@") && !clean.contains("abc"), "{clean}");
    }

    #[test]
    fn ordinary_lines_stay_as_they_are() {
        for line in [
            "order MD-2026-000123 paid: 12,345 minor units of USD",
            "payout batch 0199c000-0000-7000-8000-000000000001 executed",
            "tracking 1234567890123 checked",
            "sku TSHIRT-RED-XL stock 14",
            "job 0199c000-0000-7000-8000-000000000001 and 0199c000-0000-7000-8000-4242424242424242",
            "ledger entry 4242424242424242-2 posted",
        ] {
            assert!(matches!(scrub(line), std::borrow::Cow::Borrowed(_)), "{line} changed to {}", scrub(line));
        }
    }
}
