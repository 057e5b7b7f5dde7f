//! `customers`: the customers list and one customer's record, notes, blocking,
//! the address book, and the export of everything held about one person —
//! each as a named person, through the same core functions as the desktop.

use super::Result;
use super::orders::parsed;
use crate::format::format_minor;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::customers::addresses::{AddressChange, AddressInput, addresses_of};
use marketdesk_core::customers::export::{export_customer, write_export_folder};
use marketdesk_core::customers::list::{CustomerFilter, CustomerSort, list_customers};
use marketdesk_core::customers::profile::customer_profile;
use marketdesk_core::customers::status::CustomerStatusChange;
use marketdesk_core::domain::customer::CustomerStatus;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_core::sync::mutation::apply;
use marketdesk_core::sync::{Mutation, Outcome};
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

/// What `customers` does.
#[derive(Debug, Subcommand)]
pub enum CustomersAction {
    /// Customers, newest first.
    List {
        /// Words in the name or e-mail.
        #[arg(long)]
        search: Option<String>,
        /// active or blocked.
        #[arg(long, value_parser = parsed::<CustomerStatus>)]
        status: Option<CustomerStatus>,
        /// Only people with an address in this country.
        #[arg(long)]
        country: Option<String>,
        /// As this person (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
        /// How many (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One customer: addresses, lifetime value per currency, notes.
    Show {
        /// The customer (e-mail or id).
        customer: String,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Writes a note about a customer.
    Note {
        /// The customer (e-mail or id).
        customer: String,
        /// The words.
        body: String,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Blocks a customer: their new orders are refused.
    Block {
        /// The customer (e-mail or id).
        customer: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Lifts a customer's block.
    Unblock {
        /// The customer (e-mail or id).
        customer: String,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Adds an address to a customer's book.
    AddAddress {
        /// The customer (e-mail or id).
        customer: String,
        /// Who receives parcels there.
        #[arg(long)]
        name: String,
        /// Street line.
        #[arg(long)]
        line1: String,
        /// Second street line.
        #[arg(long)]
        line2: Option<String>,
        /// City.
        #[arg(long)]
        city: String,
        /// State or province code.
        #[arg(long)]
        region: Option<String>,
        /// Postcode.
        #[arg(long)]
        postcode: String,
        /// ISO 3166 alpha-2.
        #[arg(long)]
        country: String,
        /// The person's name for it.
        #[arg(long, default_value = "")]
        label: String,
        /// Make it the default.
        #[arg(long)]
        default: bool,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Takes an address out of a customer's book.
    RetireAddress {
        /// The customer (e-mail or id).
        customer: String,
        /// The address's id.
        address: Uuid,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Writes everything held about a customer into a folder: customer.json and one CSV per section.
    Export {
        /// The customer (e-mail or id).
        customer: String,
        /// The folder (made if missing).
        #[arg(long)]
        out: PathBuf,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
}

async fn reader(store: &Store, who: &str) -> Result<Reader> {
    let id = person_id(store, who).await?;
    Ok(Reader { id, role: store.user(id).await?.role })
}

async fn set_status(store: &Store, customer: &str, to: CustomerStatus, reason: String, who: &str) -> Result<()> {
    let who = reader(store, who).await?;
    let customer_id = person_id(store, customer).await?;
    let version = customer_profile(store, who, customer_id).await?.customer.version;
    let change = CustomerStatusChange { customer_id, version, to, reason };
    apply(store, who.id, &Mutation::CustomerStatus { change }).await?;
    println!("The customer is now {to}.");
    Ok(())
}

pub async fn run(loc: &Location, action: CustomersAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        CustomersAction::List { search, status, country, r#as, limit } => {
            let who = reader(&store, &r#as).await?;
            let filter = CustomerFilter { search, status, country };
            let page = PageRequest { sort: CustomerSort::CreatedAt, dir: SortDir::Desc, after: None, limit };
            let found = list_customers(&store, who, &filter, &page).await?;
            if found.items.is_empty() {
                println!("No customers match.");
            }
            for c in &found.items {
                let last = c.last_order_at.map(|t| t.as_datetime().format("%Y-%m-%d").to_string()).unwrap_or_default();
                println!(
                    "{}  {:<7} {:<40} {:<28} {:>4} orders  {last}",
                    c.id,
                    c.status.as_str(),
                    c.email,
                    c.display_name,
                    c.order_count
                );
            }
        }
        CustomersAction::Show { customer, r#as } => {
            let who = reader(&store, &r#as).await?;
            let id = person_id(&store, &customer).await?;
            let p = customer_profile(&store, who, id).await?;
            let c = &p.customer;
            println!("{} <{}> — {} — {} orders", c.display_name, c.email, c.status.as_str(), c.order_count);
            for v in &p.lifetime {
                println!(
                    "  {}: {} orders, spent {}, refunded {}, net {}",
                    v.currency,
                    v.orders,
                    format_minor(v.spent_minor),
                    format_minor(v.refunded_minor),
                    format_minor(v.net_minor)
                );
            }
            if p.live_disputes > 0 {
                println!("  {} live dispute(s)", p.live_disputes);
            }
            for a in &p.addresses {
                let mark = if a.is_default { " (default)" } else { "" };
                println!(
                    "  address {}{mark}: {}, {}, {} {} {}",
                    a.id, a.recipient_name, a.line1, a.postal_code, a.city, a.country
                );
            }
            for n in &p.notes {
                println!("--- {} {}\n{}", n.author_name, n.created_at.as_datetime().format("%Y-%m-%d %H:%M"), n.body);
            }
        }
        CustomersAction::Note { customer, body, r#as } => {
            let who = reader(&store, &r#as).await?;
            let customer = person_id(&store, &customer).await?;
            apply(&store, who.id, &Mutation::CustomerNote { customer, body }).await?;
            println!("Written.");
        }
        CustomersAction::Block { customer, reason, r#as } => {
            set_status(&store, &customer, CustomerStatus::Blocked, reason, &r#as).await?;
        }
        CustomersAction::Unblock { customer, reason, r#as } => {
            set_status(&store, &customer, CustomerStatus::Active, reason, &r#as).await?;
        }
        CustomersAction::AddAddress {
            customer,
            name,
            line1,
            line2,
            city,
            region,
            postcode,
            country,
            label,
            default,
            r#as,
        } => {
            let who = reader(&store, &r#as).await?;
            let customer = person_id(&store, &customer).await?;
            let address = AddressInput {
                label,
                recipient_name: name,
                company: None,
                line1,
                line2,
                city,
                region,
                postal_code: postcode,
                country,
                phone: None,
                make_default: default,
            };
            let change = AddressChange::Add { address };
            match apply(&store, who.id, &Mutation::CustomerAddress { customer, change: Box::new(change) }).await? {
                Outcome::Address(id) => println!("Address {id} added."),
                other => println!("Address added ({other:?})."),
            }
        }
        CustomersAction::RetireAddress { customer, address, r#as } => {
            let who = reader(&store, &r#as).await?;
            let customer = person_id(&store, &customer).await?;
            let version = addresses_of(&store, customer, false)
                .await?
                .into_iter()
                .find(|a| a.id == address)
                .map(|a| a.version)
                .ok_or_else(|| format!("{address} is not one of this customer's addresses in use"))?;
            let change = AddressChange::Retire { id: address, version };
            apply(&store, who.id, &Mutation::CustomerAddress { customer, change: Box::new(change) }).await?;
            println!("Address retired.");
        }
        CustomersAction::Export { customer, out, r#as } => {
            let who = reader(&store, &r#as).await?;
            let customer = person_id(&store, &customer).await?;
            let export = export_customer(&store, who, customer).await?;
            let files = write_export_folder(&export, &out)?;
            println!(
                "{} orders, {} addresses, {} disputes, {} notes written to {} ({} files).",
                export.orders.len(),
                export.addresses.len(),
                export.disputes.len(),
                export.notes.len(),
                out.display(),
                files.len()
            );
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
