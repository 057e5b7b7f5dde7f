//! `reviews`: the buyers' reviews queue from a terminal — listed and narrowed
//! as the desktop does — an admin's publish or hide with a reason, and a
//! vendor's public reply, through the same core functions.

use super::Result;
use super::catalog_files::reader;
use super::orders::parsed;
use clap::Subcommand;
use marketdesk_core::catalog::customer_reviews::{
    CustomerReview, Moderation, ReviewFilter, ReviewSort, ReviewStatus, list_reviews, moderate_review, reply_to_review,
    review,
};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;
use uuid::Uuid;

/// What `reviews` does.
#[derive(Debug, Subcommand)]
pub enum ReviewsAction {
    /// Reviews, newest first: every review for an admin, a vendor's own products' for a vendor.
    List {
        /// Only this status (pending, published, hidden).
        #[arg(long, value_parser = parsed::<ReviewStatus>)]
        status: Option<ReviewStatus>,
        /// Only this many stars (1–5).
        #[arg(long)]
        rating: Option<i32>,
        /// Only published reviews with no reply yet.
        #[arg(long)]
        unanswered: bool,
        /// Words in the title, the text or the product's name.
        #[arg(long)]
        search: Option<String>,
        /// How many to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// As this person (an admin or a vendor).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Shows a review on its product.
    Publish {
        /// The review's id.
        review: Uuid,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Keeps a review off its product, for a reason.
    Hide {
        /// The review's id.
        review: Uuid,
        /// Why (the vendor sees it).
        #[arg(long)]
        reason: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Answers a published review in public (or takes the answer back with --remove).
    Reply {
        /// The review's id.
        review: Uuid,
        /// The answer.
        #[arg(required_unless_present = "remove")]
        text: Option<String>,
        /// Take the answer back.
        #[arg(long, conflicts_with = "text")]
        remove: bool,
        /// As the product's vendor (or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
}

fn print(r: &CustomerReview) {
    let stars = "★".repeat(usize::try_from(r.rating).unwrap_or(0));
    println!("{}  {:<5}  {:<9}  {} — {}", r.id, stars, r.status.as_str(), r.product_name, r.title);
    if let Some(reason) = &r.hidden_reason {
        println!("    hidden: {reason}");
    }
    if let Some(reply) = &r.vendor_reply {
        println!("    {} replied: {reply}", r.vendor_name);
    }
}

/// Runs one `reviews` action.
pub async fn run(loc: &Location, action: ReviewsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        ReviewsAction::List { status, rating, unanswered, search, limit, r#as } => {
            let who = reader(&store, &r#as).await?;
            let filter = ReviewFilter { status, rating, product_id: None, unanswered, search };
            let page = PageRequest { sort: ReviewSort::CreatedAt, dir: SortDir::Desc, after: None, limit };
            let found = list_reviews(&store, who, &filter, &page).await?;
            if found.items.is_empty() {
                println!("No reviews match.");
            }
            found.items.iter().for_each(print);
        }
        ReviewsAction::Publish { review: id, r#as } => {
            let who = reader(&store, &r#as).await?;
            let seen = review(&store, who, id).await?;
            print(&moderate_review(&store, who, id, seen.version, &Moderation::Publish).await?);
        }
        ReviewsAction::Hide { review: id, reason, r#as } => {
            let who = reader(&store, &r#as).await?;
            let seen = review(&store, who, id).await?;
            print(&moderate_review(&store, who, id, seen.version, &Moderation::Hide { reason }).await?);
        }
        ReviewsAction::Reply { review: id, text, remove, r#as } => {
            let who = reader(&store, &r#as).await?;
            let seen = review(&store, who, id).await?;
            let text = if remove { None } else { text };
            print(&reply_to_review(&store, who, id, seen.version, text.as_deref()).await?);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
