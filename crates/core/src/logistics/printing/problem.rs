//! Why a print did not reach paper, in words the person at the bench can act on.

/// A printer or its queue could not take a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrinterProblem {
    /// Nothing listens at the printer's address.
    #[error("the printer at {address} refused the connection: is it switched on, and is {port} its raw port?")]
    Refused {
        /// host:port tried.
        address: String,
        /// The port.
        port: u16,
    },
    /// The printer's host cannot be reached or named.
    #[error("cannot reach the printer at {address}: {reason}")]
    Unreachable {
        /// host:port or URI tried.
        address: String,
        /// What the network said.
        reason: String,
    },
    /// The printer stopped answering.
    #[error("the printer at {address} did not answer within {seconds} s")]
    TimedOut {
        /// host:port or URI tried.
        address: String,
        /// How long we waited.
        seconds: u64,
    },
    /// The connection broke while the job's bytes were going out.
    #[error("the connection to the printer at {address} broke after {sent} of {total} bytes: {reason}")]
    Broken {
        /// host:port tried.
        address: String,
        /// Bytes written before it broke.
        sent: usize,
        /// The job's size.
        total: usize,
        /// What the network said.
        reason: String,
    },
    /// The CUPS queue is paused.
    #[error("the CUPS queue {queue} is paused{}; resume it (cupsenable {queue}) and reprint", detail(.message))]
    QueuePaused {
        /// The queue's name.
        queue: String,
        /// What CUPS says about it.
        message: String,
    },
    /// The CUPS queue rejects new jobs.
    #[error("the CUPS queue {queue} is not accepting jobs; let it accept them (cupsaccept {queue}) and reprint")]
    NotAccepting {
        /// The queue's name.
        queue: String,
    },
    /// No such queue at the CUPS server.
    #[error("the CUPS server has no queue at {uri}")]
    NoSuchQueue {
        /// The queue's URI.
        uri: String,
    },
    /// CUPS answered the request with an error status.
    #[error("CUPS refused the job for {queue}: {status}")]
    Rejected {
        /// The queue's name.
        queue: String,
        /// CUPS's status.
        status: String,
    },
    /// CUPS took the job but could not print it.
    #[error("CUPS could not print job {job} on {queue}{}", detail(.reason))]
    Aborted {
        /// The queue's name.
        queue: String,
        /// CUPS's job number.
        job: i32,
        /// What CUPS says.
        reason: String,
    },
    /// CUPS took the job but the printer behind it did not print it in time;
    /// the job was cancelled at CUPS so it cannot print later by surprise.
    #[error(
        "the printer behind CUPS queue {queue} did not print job {job} within {seconds} s{}; it was cancelled there so it cannot print later by surprise — reprint when the printer is back",
        detail(.message)
    )]
    Stalled {
        /// The queue's name.
        queue: String,
        /// CUPS's job number.
        job: i32,
        /// How long we waited.
        seconds: u64,
        /// What CUPS says about the printer.
        message: String,
    },
    /// The server answered something that is not IPP.
    #[error("the CUPS server at {uri} answered something unexpected: {detail}")]
    Protocol {
        /// The URI asked.
        uri: String,
        /// What was wrong.
        detail: String,
    },
}

fn detail(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() { String::new() } else { format!(" ({message})") }
}
