//! `products images`: a product's gallery from a terminal — listed, a file
//! added with its alt text, described, moved, removed — through the same core
//! functions as the desktop's editor; and `publish`, one round of putting
//! waiting uploads on Cloudinary (the worker runs it on a schedule).

use super::Result;
use super::catalog_files::reader;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::catalog::image_publishing::{configured_cloudinary, publish_images};
use marketdesk_core::catalog::images::{
    ImageStorage, ProductImage, add_image, list_images, product_of_image, remove_image, reorder_images, set_alt_text,
};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use std::path::PathBuf;
use uuid::Uuid;

/// What `products images` does.
#[derive(Debug, Subcommand)]
pub enum ImagesAction {
    /// The product's images in gallery order.
    List {
        /// The product's id.
        product: Uuid,
    },
    /// Adds an image file (JPEG, PNG, WebP or GIF, 10 MB at most) to the end of the gallery.
    Add {
        /// The product's id.
        product: Uuid,
        /// The image file.
        file: PathBuf,
        /// What the picture shows, for people who cannot see it.
        #[arg(long, default_value = "")]
        alt: String,
        /// As this person (the product's vendor, or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Sets an image's alt text.
    Alt {
        /// The image's id.
        image: Uuid,
        /// The new text.
        text: String,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Moves an image to a place in the gallery (1 is the main image).
    Move {
        /// The image's id.
        image: Uuid,
        /// Its new place, from 1.
        #[arg(long)]
        to: usize,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Removes an image from its gallery.
    Remove {
        /// The image's id.
        image: Uuid,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Puts uploads waiting for Cloudinary there, and removes deleted ones from it.
    Publish {
        /// Files handled in this round at most.
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
}

fn print(images: &[ProductImage]) {
    if images.is_empty() {
        println!("No images.");
    }
    for i in images {
        let size = match (i.width, i.height) {
            (Some(w), Some(h)) => format!("{w}×{h}"),
            _ => "size unknown".into(),
        };
        let place = match i.storage {
            ImageStorage::Marketplace => "marketplace store",
            ImageStorage::Cloudinary => "Cloudinary",
            ImageStorage::Link => "link",
        };
        let alt = if i.alt_text.is_empty() { "(no alt text)".to_owned() } else { format!("“{}”", i.alt_text) };
        println!("{}. {}  {size}  {place}  {alt}", i.position + 1, i.id);
        if let Some(e) = &i.publish_error {
            println!("   not published yet: {e}");
        }
    }
}

/// Runs one `products images` action.
pub async fn run(store: &Store, action: ImagesAction) -> Result<()> {
    match action {
        ImagesAction::List { product } => {
            let admin = Reader { id: Uuid::nil(), role: Role::Admin };
            print(&list_images(store, admin, product).await?);
        }
        ImagesAction::Add { product, file, alt, r#as } => {
            let me = reader(store, &r#as).await?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let name =
                file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
            let added = add_image(store, me, product, &name, &bytes, &alt).await?;
            println!("Added {} as image {} ({}).", name, added.position + 1, added.id);
        }
        ImagesAction::Alt { image, text, r#as } => {
            let me = reader(store, &r#as).await?;
            let product = product_of_image(store, image).await?;
            let shown = list_images(store, me, product).await?;
            let version = shown.iter().find(|i| i.id == image).map(|i| i.version).unwrap_or_default();
            set_alt_text(store, me, image, &text, version).await?;
            println!("Alt text set.");
        }
        ImagesAction::Move { image, to, r#as } => {
            let me = reader(store, &r#as).await?;
            let product = product_of_image(store, image).await?;
            let mut order: Vec<Uuid> = list_images(store, me, product).await?.iter().map(|i| i.id).collect();
            if to == 0 || to > order.len() {
                return Err(format!("the gallery has places 1 to {}", order.len()).into());
            }
            order.retain(|id| *id != image);
            order.insert(to - 1, image);
            print(&reorder_images(store, me, product, &order).await?);
        }
        ImagesAction::Remove { image, r#as } => {
            let me = reader(store, &r#as).await?;
            remove_image(store, me, image).await?;
            println!("Removed.");
        }
        ImagesAction::Publish { limit } => {
            let Some(cloud) = configured_cloudinary(store).await? else {
                println!("No Cloudinary account is configured: images stay in the marketplace's own store.");
                return Ok(());
            };
            let r = publish_images(store, &cloud, limit).await?;
            println!(
                "{} published, {} removed from Cloudinary, {} failed (kept and retried).",
                r.published, r.removed, r.failed
            );
        }
    }
    Ok(())
}
