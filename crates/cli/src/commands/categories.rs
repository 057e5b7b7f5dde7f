//! `categories`: the category tree from a terminal, as the admin's tree
//! dialog keeps it — listed with the products filed under each, and a
//! category added, renamed, moved (its branch follows, no cycles), merged
//! into another (its products and sub-categories go along) or archived
//! when empty. A category is named by its path (`home/lighting`) or name.

use super::Result;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::catalog::categories::{CategoryChange, CategoryNode};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::mutation::apply;
use std::process::ExitCode;

/// What `categories` does.
#[derive(Debug, Subcommand)]
pub enum CategoriesAction {
    /// The tree, with the live products filed directly under each category.
    List,
    /// Adds a category at the root or under --parent.
    Add {
        /// Its name.
        name: String,
        /// The category it goes under (path or name); the root when left out.
        #[arg(long)]
        parent: Option<String>,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Gives a category a new name (its path stays).
    Rename {
        /// The category (path or name).
        category: String,
        /// The new name.
        name: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Moves a category and its branch under another, or to the root.
    Move {
        /// The category (path or name).
        category: String,
        /// Its new parent (path or name).
        #[arg(long, conflicts_with = "root")]
        to: Option<String>,
        /// To the root.
        #[arg(long)]
        root: bool,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Moves a category's products and sub-categories into another and archives it.
    Merge {
        /// The category merged away (path or name).
        category: String,
        /// The category that takes what it held (path or name).
        #[arg(long)]
        into: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Archives an empty category.
    Archive {
        /// The category (path or name).
        category: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
}

/// The category in use `text` names: its path (`home/lighting`) or its name.
pub async fn find(store: &Store, text: &str) -> Result<CategoryNode> {
    let wanted = text.trim().trim_matches('/').to_lowercase();
    let all = store.category_tree().await?;
    if let Some(c) = all.iter().find(|c| c.path.trim_matches('/').eq_ignore_ascii_case(&wanted)) {
        return Ok(c.clone());
    }
    let named: Vec<&CategoryNode> = all.iter().filter(|c| c.name.to_lowercase() == wanted).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!("no category “{text}” is in use").into()),
        many => Err(format!("{} categories are called “{text}”: give its path", many.len()).into()),
    }
}

async fn act(store: &Store, action: CategoriesAction) -> Result<()> {
    let (change, who) = match action {
        CategoriesAction::List => {
            for c in store.category_tree().await? {
                let indent = "  ".repeat(usize::try_from(c.depth).unwrap_or(0));
                println!("{:<48} {:>6} product(s)  {}", format!("{indent}{}", c.name), c.products, c.path);
            }
            return Ok(());
        }
        CategoriesAction::Add { name, parent, r#as } => {
            let parent = match parent {
                Some(p) => Some(find(store, &p).await?.id),
                None => None,
            };
            (CategoryChange::add(&name, parent), r#as)
        }
        CategoriesAction::Rename { category, name, r#as } => {
            let c = find(store, &category).await?;
            (CategoryChange::Rename { id: c.id, version: c.version, name }, r#as)
        }
        CategoriesAction::Move { category, to, root, r#as } => {
            let c = find(store, &category).await?;
            let parent = match (to, root) {
                (Some(to), false) => Some(find(store, &to).await?.id),
                (None, true) => None,
                _ => return Err("say where: --to CATEGORY or --root".into()),
            };
            (CategoryChange::Move { id: c.id, version: c.version, parent }, r#as)
        }
        CategoriesAction::Merge { category, into, r#as } => {
            let c = find(store, &category).await?;
            let into = find(store, &into).await?.id;
            (CategoryChange::Merge { id: c.id, version: c.version, into }, r#as)
        }
        CategoriesAction::Archive { category, r#as } => {
            let c = find(store, &category).await?;
            (CategoryChange::Archive { id: c.id, version: c.version }, r#as)
        }
    };
    let me = person_id(store, &who).await?;
    apply(store, me, &Mutation::Category { change }).await?;
    println!("Done. The tree now:");
    for c in store.category_tree().await? {
        let indent = "  ".repeat(usize::try_from(c.depth).unwrap_or(0));
        println!("{indent}{} ({})", c.name, c.products);
    }
    Ok(())
}

pub async fn run(loc: &Location, action: CategoriesAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let done = act(&store, action).await;
    store.close().await;
    done?;
    Ok(ExitCode::SUCCESS)
}
