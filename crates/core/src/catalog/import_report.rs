//! What a CSV import found and did: every problem by line and column, what
//! each product or SKU would become (or became), and the counts — the same
//! report for the dry run and for the apply, so what was previewed is what
//! is written.

use serde::{Deserialize, Serialize};

/// The most problems and outcomes a report lists (the counts stay exact).
pub const LISTED: usize = 1_000;

/// One problem with the file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportProblem {
    /// The line of the file (the heading is line 1; a row with a line break
    /// inside quotes is named by the line it starts on).
    pub line: u64,
    /// The column at fault, by its heading; `None` for the whole row.
    pub column: Option<String>,
    /// What is wrong, in words the person can act on.
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// Whether an import only checks the file or writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Check every row against the catalog as it stands and report; write nothing.
    DryRun,
    /// Write every row, or nothing when any row has a problem.
    Apply,
}

/// What one product or SKU of the file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    /// A new product.
    Create,
    /// An existing product or stock level changes.
    Update,
    /// Already as the file says.
    Unchanged,
    /// Has a problem; nothing of it is written.
    Refused,
}

/// What one product (or, in a stock import, one SKU) of the file becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    /// The line it starts on.
    pub line: u64,
    /// The product's handle, or the SKU.
    pub key: String,
    /// What happens to it.
    pub action: ImportAction,
    /// In words: the variants added, changed and retired, or the units counted.
    pub detail: String,
}

/// The report of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    /// Whether it was a dry run or an apply.
    pub mode: ImportMode,
    /// Whether anything was written (an apply with no problems).
    pub applied: bool,
    /// Rows read (blank rows not counted).
    pub rows: u64,
    /// The separator the file uses.
    pub delimiter: String,
    /// The file's SHA-256 (hex), as the audit trail records it.
    pub digest: String,
    /// Products (or SKUs) that are new.
    pub created: u64,
    /// Products (or SKUs) that change.
    pub updated: u64,
    /// Products (or SKUs) already as the file says.
    pub unchanged: u64,
    /// Products (or SKUs) with a problem.
    pub refused: u64,
    /// Every problem (the first [`LISTED`]), in the order of the file.
    pub problems: Vec<ImportProblem>,
    /// Problems beyond those listed.
    pub more_problems: u64,
    /// What each product or SKU becomes (the first [`LISTED`]).
    pub outcomes: Vec<ImportOutcome>,
    /// Things worth knowing that stop nothing (the first [`LISTED`]).
    pub notes: Vec<ImportProblem>,
}

impl ImportReport {
    /// An empty report for a run in `mode`.
    pub fn new(mode: ImportMode) -> Self {
        ImportReport {
            mode,
            applied: false,
            rows: 0,
            delimiter: ",".into(),
            digest: String::new(),
            created: 0,
            updated: 0,
            unchanged: 0,
            refused: 0,
            problems: Vec::new(),
            more_problems: 0,
            outcomes: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a problem.
    pub fn problem(&mut self, p: ImportProblem) {
        if self.problems.len() < LISTED {
            self.problems.push(p);
        } else {
            self.more_problems += 1;
        }
    }

    /// Adds a note.
    pub fn note(&mut self, p: ImportProblem) {
        if self.notes.len() < LISTED {
            self.notes.push(p);
        }
    }

    /// Counts and lists what one product or SKU becomes.
    pub fn outcome(&mut self, o: ImportOutcome) {
        match o.action {
            ImportAction::Create => self.created += 1,
            ImportAction::Update => self.updated += 1,
            ImportAction::Unchanged => self.unchanged += 1,
            ImportAction::Refused => self.refused += 1,
        }
        if self.outcomes.len() < LISTED {
            self.outcomes.push(o);
        }
    }

    /// Whether the file has any problem.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty() || self.more_problems > 0
    }
}
