//! Printing through CUPS over IPP: ZPL to a raw queue (`application/vnd.cups-raw`,
//! passed to the printer untouched), PDF to a laser queue (`application/pdf`).
//! A queue is asked whether it is paused or refusing jobs before a job is
//! sent, and the job is followed until CUPS says the printer took it.

use super::problem::PrinterProblem;
use crate::domain::PrintLanguage;
use ipp::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::time::Duration;

const REQUEST: Duration = Duration::from_secs(30);

/// A CUPS queue as discovery finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CupsQueue {
    /// The queue's name.
    pub name: String,
    /// The URI to print to (`ipp://server/printers/name`).
    pub uri: String,
    /// Its description, as the administrator wrote it.
    pub info: String,
    /// The driver or model CUPS reports (`Local Raw Printer` for raw queues).
    pub make_and_model: String,
    /// Idle, printing, or paused.
    pub state: String,
    /// Whether it takes new jobs.
    pub accepting: bool,
}

/// Where a CUPS job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CupsJobState {
    /// Waiting or printing.
    Pending {
        /// What CUPS says about the printer (e.g. that it cannot connect).
        printer_message: String,
    },
    /// The printer took it.
    Completed,
    /// It will not print.
    Ended {
        /// Cancelled (rather than aborted).
        cancelled: bool,
        /// What CUPS says about it.
        reason: String,
    },
}

fn parse_uri(uri: &str) -> Result<Uri, PrinterProblem> {
    uri.parse::<Uri>().map_err(|e| PrinterProblem::Unreachable { address: uri.into(), reason: e.to_string() })
}

/// The queue's name: the last segment of its URI's path.
pub fn queue_name(uri: &str) -> String {
    uri.trim_end_matches('/').rsplit('/').next().unwrap_or(uri).to_owned()
}

fn client(uri: &Uri) -> AsyncIppClient {
    AsyncIppClient::builder(uri.clone()).request_timeout(REQUEST).build()
}

fn transport(uri: &str, e: IppError) -> PrinterProblem {
    match e {
        IppError::AsyncClientError(e) if e.is_timeout() => {
            PrinterProblem::TimedOut { address: uri.into(), seconds: REQUEST.as_secs() }
        }
        IppError::AsyncClientError(e) if e.is_connect() => {
            let reason = std::error::Error::source(&e).map(ToString::to_string).unwrap_or_else(|| e.to_string());
            PrinterProblem::Unreachable { address: uri.into(), reason }
        }
        IppError::RequestError(404) => PrinterProblem::NoSuchQueue { uri: uri.into() },
        other => PrinterProblem::Protocol { uri: uri.into(), detail: other.to_string() },
    }
}

fn attribute<'a>(resp: &'a IppRequestResponse, tag: DelimiterTag, name: &str) -> Option<&'a IppValue> {
    resp.attributes().groups_of(tag).find_map(|g| g.attributes().get(name)).map(IppAttribute::value)
}

fn text(value: Option<&IppValue>) -> String {
    match value {
        None | Some(IppValue::NoValue) => String::new(),
        Some(IppValue::Array(items)) => items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        Some(v) => v.to_string(),
    }
}

fn int(value: Option<&IppValue>) -> Option<i32> {
    match value {
        Some(IppValue::Integer(i) | IppValue::Enum(i)) => Some(*i),
        _ => None,
    }
}

/// Refuses a queue that is paused or does not accept jobs.
async fn check_queue(uri: &str, parsed: &Uri) -> Result<(), PrinterProblem> {
    let op = IppOperationBuilder::get_printer_attributes(parsed.clone())
        .attributes(["printer-state", "printer-state-message", "printer-is-accepting-jobs"])
        .build();
    let resp = client(parsed).send(op).await.map_err(|e| transport(uri, e))?;
    let status = resp.header().status_code();
    if status == StatusCode::ClientErrorNotFound {
        return Err(PrinterProblem::NoSuchQueue { uri: uri.into() });
    }
    if !status.is_success() {
        return Err(PrinterProblem::Rejected { queue: queue_name(uri), status: status.to_string() });
    }
    let tag = DelimiterTag::PrinterAttributes;
    if int(attribute(&resp, tag, "printer-state")) == Some(PrinterState::Stopped as i32) {
        let message = text(attribute(&resp, tag, "printer-state-message"));
        return Err(PrinterProblem::QueuePaused { queue: queue_name(uri), message });
    }
    if matches!(attribute(&resp, tag, "printer-is-accepting-jobs"), Some(IppValue::Boolean(false))) {
        return Err(PrinterProblem::NotAccepting { queue: queue_name(uri) });
    }
    Ok(())
}

/// Sends `bytes` to the queue at `uri` as one job titled `title` for
/// `user`; returns CUPS's job number.
pub async fn submit(
    uri: &str,
    bytes: &[u8],
    language: PrintLanguage,
    title: &str,
    user: &str,
) -> Result<i32, PrinterProblem> {
    let parsed = parse_uri(uri)?;
    check_queue(uri, &parsed).await?;
    let format = match language {
        PrintLanguage::Zpl => "application/vnd.cups-raw",
        PrintLanguage::Pdf => "application/pdf",
    };
    let op = IppOperationBuilder::print_job(parsed.clone(), IppPayload::new(Cursor::new(bytes.to_vec())))
        .user_name(user)
        .job_title(title)
        .document_format(format)
        .build();
    let resp = client(&parsed).send(op).await.map_err(|e| transport(uri, e))?;
    let status = resp.header().status_code();
    match status {
        s if s.is_success() => {}
        StatusCode::ServerErrorNotAcceptingJobs => return Err(PrinterProblem::NotAccepting { queue: queue_name(uri) }),
        StatusCode::ClientErrorNotFound => return Err(PrinterProblem::NoSuchQueue { uri: uri.into() }),
        s => {
            let message = text(attribute(&resp, DelimiterTag::OperationAttributes, "status-message"));
            let status = if message.is_empty() { s.to_string() } else { format!("{s}: {message}") };
            return Err(PrinterProblem::Rejected { queue: queue_name(uri), status });
        }
    }
    int(attribute(&resp, DelimiterTag::JobAttributes, "job-id"))
        .ok_or_else(|| PrinterProblem::Protocol { uri: uri.into(), detail: "the answer names no job-id".into() })
}

/// Where job `job` of the queue at `uri` is.
pub async fn job_state(uri: &str, job: i32, user: &str) -> Result<CupsJobState, PrinterProblem> {
    let parsed = parse_uri(uri)?;
    let op = IppOperationBuilder::get_job_attributes(parsed.clone(), job).user_name(user).build();
    let resp = client(&parsed).send(op).await.map_err(|e| transport(uri, e))?;
    let status = resp.header().status_code();
    if !status.is_success() {
        return Err(PrinterProblem::Rejected { queue: queue_name(uri), status: status.to_string() });
    }
    let tag = DelimiterTag::JobAttributes;
    let reason = || {
        let message = text(attribute(&resp, tag, "job-state-message"));
        if message.is_empty() { text(attribute(&resp, tag, "job-state-reasons")) } else { message }
    };
    Ok(match int(attribute(&resp, tag, "job-state")) {
        Some(s) if s == JobState::Completed as i32 => CupsJobState::Completed,
        Some(s) if s == JobState::Canceled as i32 => CupsJobState::Ended { cancelled: true, reason: reason() },
        Some(s) if s == JobState::Aborted as i32 => CupsJobState::Ended { cancelled: false, reason: reason() },
        Some(_) => CupsJobState::Pending { printer_message: printer_message(uri, &parsed).await },
        None => {
            return Err(PrinterProblem::Protocol { uri: uri.into(), detail: "the answer names no job-state".into() });
        }
    })
}

/// What CUPS says about the printer behind a queue, for a job that waits.
async fn printer_message(uri: &str, parsed: &Uri) -> String {
    let op = IppOperationBuilder::get_printer_attributes(parsed.clone())
        .attributes(["printer-state-message", "printer-state-reasons"])
        .build();
    match client(parsed).send(op).await {
        Ok(resp) => {
            let tag = DelimiterTag::PrinterAttributes;
            let message = text(attribute(&resp, tag, "printer-state-message"));
            if message.is_empty() { text(attribute(&resp, tag, "printer-state-reasons")) } else { message }
        }
        Err(e) => transport(uri, e).to_string(),
    }
}

/// Cancels job `job` at CUPS, so a job given up on cannot print later.
pub async fn cancel(uri: &str, job: i32, user: &str) -> Result<(), PrinterProblem> {
    let parsed = parse_uri(uri)?;
    let op = IppOperationBuilder::cancel_job(parsed.clone(), job).user_name(user).build();
    let resp = client(&parsed).send(op).await.map_err(|e| transport(uri, e))?;
    let status = resp.header().status_code();
    // A job that already ended cannot be cancelled, which is what was wanted.
    if status.is_success() || status == StatusCode::ClientErrorNotPossible {
        Ok(())
    } else {
        Err(PrinterProblem::Rejected { queue: queue_name(uri), status: status.to_string() })
    }
}

/// The queues of the CUPS server at `server` (`host:port`, or a URI).
pub async fn discover(server: &str) -> Result<Vec<CupsQueue>, PrinterProblem> {
    let server = server.trim().trim_end_matches('/');
    let base = if server.contains("://") { server.to_owned() } else { format!("ipp://{server}") };
    let parsed = parse_uri(&format!("{base}/"))?;
    let resp =
        client(&parsed).send(IppOperationBuilder::cups().get_printers()).await.map_err(|e| transport(&base, e))?;
    let status = resp.header().status_code();
    if status == StatusCode::ClientErrorNotFound {
        return Ok(Vec::new());
    }
    if !status.is_success() {
        return Err(PrinterProblem::Rejected { queue: base, status: status.to_string() });
    }
    let mut queues: Vec<CupsQueue> = resp
        .attributes()
        .groups_of(DelimiterTag::PrinterAttributes)
        .filter_map(|g| {
            let a = g.attributes();
            let name = text(a.get("printer-name").map(IppAttribute::value));
            if name.is_empty() {
                return None;
            }
            let state = match int(a.get("printer-state").map(IppAttribute::value)) {
                Some(s) if s == PrinterState::Stopped as i32 => "paused",
                Some(s) if s == PrinterState::Processing as i32 => "printing",
                _ => "idle",
            };
            Some(CupsQueue {
                uri: format!("{base}/printers/{name}"),
                info: text(a.get("printer-info").map(IppAttribute::value)),
                make_and_model: text(a.get("printer-make-and-model").map(IppAttribute::value)),
                state: state.into(),
                accepting: !matches!(
                    a.get("printer-is-accepting-jobs").map(IppAttribute::value),
                    Some(IppValue::Boolean(false))
                ),
                name,
            })
        })
        .collect();
    queues.sort_by_key(|q| q.name.to_lowercase());
    Ok(queues)
}
