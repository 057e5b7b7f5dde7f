//! A workstation's printers: described, checked, stored, and chosen by
//! default per kind of document.

use super::socket::split_address;
use crate::domain::{DocumentKind, PrintLanguage, PrinterConnection};
use crate::store::printing::{Printer, PrinterSpec};
use crate::store::{Store, StoreError};
use uuid::Uuid;

/// The densities a ZPL printer may have.
pub const DENSITIES: [i32; 2] = [203, 300];

/// `spec` trimmed and checked: a name a person can read, an address its
/// connection can use, and a density exactly when the language is ZPL.
pub fn check_spec(spec: &PrinterSpec) -> Result<PrinterSpec, StoreError> {
    let bad = |m: String| Err(StoreError::Validation(m));
    let name = spec.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return bad("a printer's name is 1 to 100 characters with no control characters".into());
    }
    let address = spec.address.trim().to_owned();
    match spec.connection {
        PrinterConnection::Socket => {
            split_address(&address).map_err(StoreError::Validation)?;
        }
        PrinterConnection::Ipp => {
            let ok = address.parse::<url::Url>().ok().is_some_and(|u| {
                matches!(u.scheme(), "ipp" | "ipps" | "http" | "https")
                    && u.host_str().is_some_and(|h| !h.is_empty())
                    && (u.path().starts_with("/printers/") || u.path().starts_with("/classes/"))
                    && u.path().len() > "/printers/".len()
            });
            if !ok {
                return bad(format!(
                    "“{address}” is not a CUPS queue: write ipp://host:631/printers/QUEUE (discovery lists them)"
                ));
            }
        }
    }
    if address.chars().count() > 500 {
        return bad("a printer's address is at most 500 characters".into());
    }
    match (spec.language, spec.dpi) {
        (PrintLanguage::Zpl, Some(d)) if DENSITIES.contains(&d) => {}
        (PrintLanguage::Zpl, _) => return bad("a ZPL printer prints at 203 or 300 dpi: say which".into()),
        (PrintLanguage::Pdf, None) => {}
        (PrintLanguage::Pdf, Some(_)) => return bad("a PDF printer has no label density".into()),
    }
    Ok(PrinterSpec { name, address, ..spec.clone() })
}

/// Adds a printer to `workstation`.
pub async fn add_printer(
    store: &Store,
    workstation: &str,
    spec: &PrinterSpec,
    by: Option<Uuid>,
) -> Result<Printer, StoreError> {
    let spec = check_spec(spec)?;
    store.insert_printer(workstation, &spec, by).await.map_err(|e| match e {
        StoreError::Duplicate { .. } => {
            StoreError::Validation(format!("this workstation already has a printer called “{}”", spec.name))
        }
        other => other,
    })
}

/// Makes `printer` the default for `kind` on `workstation`. Packing slips,
/// pick lists and manifests are PDF pages, so they need a PDF printer.
pub async fn set_default_printer(
    store: &Store,
    workstation: &str,
    kind: DocumentKind,
    printer: Uuid,
) -> Result<(), StoreError> {
    let p = store.printer(printer).await?;
    if p.workstation != workstation {
        return Err(StoreError::Validation(format!("“{}” belongs to another workstation ({})", p.name, p.workstation)));
    }
    match kind {
        DocumentKind::TestPage => {
            return Err(StoreError::Validation("a test page goes to the printer being tried, not a default".into()));
        }
        DocumentKind::Label => {}
        _ if p.language != PrintLanguage::Pdf => {
            return Err(StoreError::Validation(format!(
                "a {} is a PDF page: “{}” takes ZPL; pick a PDF printer",
                kind.as_str().replace('_', " "),
                p.name
            )));
        }
        _ => {}
    }
    store.set_printer_default(workstation, kind, printer).await
}

/// The printer `kind` goes to on `workstation` when nobody picks one.
pub async fn default_printer(
    store: &Store,
    workstation: &str,
    kind: DocumentKind,
) -> Result<Option<Printer>, StoreError> {
    let Some((_, id)) = store.printer_defaults(workstation).await?.into_iter().find(|(k, _)| *k == kind) else {
        return Ok(None);
    };
    Ok(Some(store.printer(id).await?))
}

/// A printer of `workstation` by its name (case-insensitive) or id.
pub async fn find_printer(store: &Store, workstation: &str, name_or_id: &str) -> Result<Printer, StoreError> {
    if let Ok(id) = name_or_id.parse::<Uuid>() {
        return store.printer(id).await;
    }
    let wanted = name_or_id.trim().to_lowercase();
    store.printers(workstation).await?.into_iter().find(|p| p.name.to_lowercase() == wanted).ok_or_else(|| {
        StoreError::NotFound { entity: "printer", id: format!("“{}” on {workstation}", name_or_id.trim()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(connection: PrinterConnection, address: &str, language: PrintLanguage, dpi: Option<i32>) -> PrinterSpec {
        PrinterSpec { name: " Bench Zebra ".into(), connection, address: address.into(), language, dpi }
    }

    #[test]
    fn a_printer_is_described_completely_or_refused() {
        use PrintLanguage::*;
        use PrinterConnection::*;
        let ok = check_spec(&spec(Socket, "10.0.0.9:9100", Zpl, Some(203))).unwrap();
        assert_eq!(ok.name, "Bench Zebra");
        assert!(check_spec(&spec(Ipp, "ipp://cups:631/printers/zebra", Zpl, Some(300))).is_ok());
        assert!(check_spec(&spec(Ipp, "ipp://cups:631/printers/laser", Pdf, None)).is_ok());
        assert!(check_spec(&spec(Socket, "10.0.0.9:9100", Zpl, None)).is_err(), "ZPL needs its density");
        assert!(check_spec(&spec(Socket, "10.0.0.9:9100", Zpl, Some(600))).is_err());
        assert!(check_spec(&spec(Ipp, "ipp://cups:631/printers/laser", Pdf, Some(203))).is_err());
        assert!(check_spec(&spec(Ipp, "ipp://cups:631/", Pdf, None)).is_err(), "a queue, not a server");
        assert!(check_spec(&spec(Ipp, "lpr://x/printers/y", Pdf, None)).is_err());
        assert!(check_spec(&spec(Socket, "a b:9100", Pdf, None)).is_err());
        let mut nameless = spec(Socket, "10.0.0.9", Pdf, None);
        nameless.name = "  ".into();
        assert!(check_spec(&nameless).is_err());
    }
}
