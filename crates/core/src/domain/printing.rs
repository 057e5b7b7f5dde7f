//! Printing's vocabulary: which printers exist and how they are reached,
//! what is printed, and the life of a print job.

use super::status::text_enum;

text_enum!(
    /// How a printer is reached: a CUPS queue over IPP, or a networked
    /// printer's raw TCP port (JetDirect, usually 9100).
    PrinterConnection, "printer connection" { Ipp => "ipp", Socket => "socket" }
);

text_enum!(
    /// The page language a printer takes.
    PrintLanguage, "print language" { Zpl => "zpl", Pdf => "pdf" }
);

text_enum!(
    /// What is printed; each kind has its own default printer per workstation
    /// (test pages go to whichever printer is being tried).
    DocumentKind, "document kind" {
        Label => "label", PackingSlip => "packing_slip", PickList => "pick_list",
        Manifest => "manifest", TestPage => "test_page",
    }
);

text_enum!(
    /// A print job's life. `Sending` is written before the first byte leaves,
    /// so a job interrupted there is found and reported, never resent blindly;
    /// a raw socket printer ends at `Sent` (it reports nothing back), a CUPS
    /// queue at `Completed` once CUPS says the printer took it.
    PrintJobState, "print job state" {
        Queued => "queued", Sending => "sending", Sent => "sent", Completed => "completed",
        Failed => "failed", Cancelled => "cancelled",
    }
);

impl PrintJobState {
    /// Whether the job has ended (nothing more will happen to it).
    pub fn is_final(self) -> bool {
        matches!(self, PrintJobState::Completed | PrintJobState::Failed | PrintJobState::Cancelled)
    }

    /// The states a job may move to from this one.
    pub fn next(self) -> &'static [PrintJobState] {
        use PrintJobState::*;
        match self {
            Queued => &[Sending, Failed, Cancelled],
            Sending => &[Sent, Completed, Failed],
            Sent => &[Completed, Failed, Cancelled],
            Completed | Failed | Cancelled => &[],
        }
    }

    /// Whether `to` is a legal next state.
    pub fn can_become(self, to: PrintJobState) -> bool {
        self.next().contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_never_goes_back_to_the_printer_by_itself() {
        use PrintJobState::*;
        for s in PrintJobState::ALL {
            assert!(!s.can_become(Queued), "{s} back to queued");
            assert!(!s.can_become(*s), "{s} to itself");
            assert_eq!(s.is_final(), s.next().is_empty(), "{s}");
        }
        assert!(!Failed.can_become(Sending), "a failed job is reprinted as a new job");
        assert_eq!(DocumentKind::PackingSlip.as_str().parse::<DocumentKind>().unwrap(), DocumentKind::PackingSlip);
    }
}
