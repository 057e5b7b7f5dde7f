//! `jobs`: the job queue from a terminal — its depth, the jobs by state
//! (dead ones with their error), a dead job put back, and the workers with
//! their heartbeats — through the same core functions as the admins' jobs
//! screen.

use super::Result;
use super::catalog_files::reader;
use super::orders::parsed;
use clap::Subcommand;
use marketdesk_core::jobs::list::{JobFilter, JobSort, JobStatus, list_jobs, queue_depth, retry_job};
use marketdesk_core::jobs::workers::list_workers;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;
use uuid::Uuid;

/// What `jobs` does.
#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// How many jobs are due, waiting, running and dead.
    Depth {
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Jobs, last changed first.
    List {
        /// Only this state (queued, running, done, dead).
        #[arg(long, value_parser = parsed::<JobStatus>)]
        status: Option<JobStatus>,
        /// Only this kind.
        #[arg(long)]
        kind: Option<String>,
        /// How many to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// The workers seen this week, alive first, with their rounds and counts.
    Workers {
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Puts a dead job back in the queue, its tries counted afresh.
    Retry {
        /// The job's id.
        job: Uuid,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
}

/// Runs one `jobs` action.
pub async fn run(loc: &Location, action: JobsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        JobsAction::Depth { r#as } => {
            let q = queue_depth(&store, reader(&store, &r#as).await?).await?;
            println!(
                "{} due, {} waiting, {} running, {} dead; the oldest due has waited {} s",
                q.due, q.queued, q.running, q.dead, q.oldest_due_seconds
            );
        }
        JobsAction::List { status, kind, limit, r#as } => {
            let who = reader(&store, &r#as).await?;
            let page = PageRequest { sort: JobSort::UpdatedAt, dir: SortDir::Desc, after: None, limit };
            let found = list_jobs(&store, who, &JobFilter { status, kind }, &page).await?;
            if found.items.is_empty() {
                println!("No jobs match.");
            }
            for j in &found.items {
                println!("{}  {:<8} {:<24} try {}/{}", j.id, j.status.as_str(), j.kind, j.attempts, j.max_attempts);
                if let Some(e) = &j.last_error {
                    println!("    {e}");
                }
            }
        }
        JobsAction::Workers { r#as } => {
            let workers = list_workers(&store, reader(&store, &r#as).await?).await?;
            if workers.is_empty() {
                println!("No worker ran this week: background rounds wait until `marketdesk worker` runs.");
            }
            for w in &workers {
                let state = match (w.alive, &w.stopped_at) {
                    (true, _) => "alive".to_owned(),
                    (false, Some(at)) => format!("stopped {at}"),
                    (false, None) => format!("silent since {}", w.seen_at),
                };
                println!(
                    "{}  on {}  {state}; started {}; {} done, {} failed",
                    w.name, w.host, w.started_at, w.jobs_done, w.jobs_failed
                );
                println!("    {}", w.rounds.join(", "));
            }
        }
        JobsAction::Retry { job, r#as } => {
            retry_job(&store, reader(&store, &r#as).await?, job).await?;
            println!("Job {job} is queued again.");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
