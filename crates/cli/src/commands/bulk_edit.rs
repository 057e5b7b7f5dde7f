//! `products bulk`: one change to every product the filters match — prices
//! by a percentage or set, a category, a step, or stock with its reason —
//! previewed with what each product becomes, then applied with `--apply
//! --expect N`, N being the number of products the preview matched.

use super::Result;
use crate::people::person_id;
use marketdesk_core::Store;
use marketdesk_core::catalog::bulk_edit::{BulkChange, bulk_edit};
use marketdesk_core::catalog::import_report::{ImportAction, ImportMode};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::products::ProductFilter;

/// Previews `change` over `filter` as `who`, or applies it when `expect` is given.
pub async fn run(
    store: &Store,
    filter: &ProductFilter,
    change: &BulkChange,
    expect: Option<u64>,
    who: &str,
) -> Result<()> {
    let id = person_id(store, who).await?;
    let actor = Reader { id, role: store.user(id).await?.role };
    let mode = if expect.is_some() { ImportMode::Apply } else { ImportMode::DryRun };
    let report = bulk_edit(store, actor, filter, change, mode, expect).await?;
    let verb = if report.applied { "Changed" } else { "Would change" };
    println!(
        "{} product(s) match: {verb} {} ({} variant(s)), {} already so, {} cannot change.",
        report.matched, report.changed, report.variants, report.unchanged, report.refused
    );
    for o in report.outcomes.iter().filter(|o| o.action != ImportAction::Unchanged) {
        let mark = if o.action == ImportAction::Refused { "refused" } else { "change" };
        println!("  {mark:<8} {:<40} {}", o.name, o.detail);
    }
    if report.refused > 0 {
        return Err(format!("{} product(s) cannot change; nothing was written", report.refused).into());
    }
    if !report.applied {
        println!("Nothing was written (a preview): add --apply --expect {} to make the change.", report.matched);
    }
    Ok(())
}
