-- =============================================================================
-- Marketdesk 0032, PostgreSQL: product images people upload.
-- * product_images gains what an uploaded file is: its SHA-256, format, size,
--   who uploaded it, and a small JPEG thumbnail made once at upload. The row
--   travels to every local copy through the change feed, so the editor and
--   the lists show images offline.
-- * image_files: the originals of a marketplace without Cloudinary (its
--   "local image store" on the server every desktop reaches), one row per
--   distinct file, named by its SHA-256 and never changed. Not in the change
--   feed: a local copy holds thumbnails, and the originals a desktop opened.
-- * With Cloudinary configured, an upload lands here first and the worker
--   (which holds the API secret) publishes it there and removes deleted
--   images from it; a failure is kept on the row (publish_error) and retried.
-- * Who: admins and vendors add images (vendors to their own products, as
--   before); a vendor reads the originals of their own products' images and
--   of files they uploaded; staff read all.
-- =============================================================================

ALTER TABLE product_images
    ADD COLUMN content_sha256 text NULL,
    ADD COLUMN format text NULL,
    ADD COLUMN byte_size integer NULL,
    ADD COLUMN thumbnail bytea NULL,
    ADD COLUMN uploaded_by uuid NULL REFERENCES users (id),
    ADD COLUMN publish_error text NULL,
    ADD CONSTRAINT product_images_sha256_check CHECK (content_sha256 IS NULL OR content_sha256 ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT product_images_format_check CHECK (format IS NULL OR format IN ('jpeg', 'png', 'webp', 'gif')),
    ADD CONSTRAINT product_images_byte_size_check CHECK (byte_size IS NULL OR byte_size > 0),
    ADD CONSTRAINT product_images_thumbnail_check CHECK (thumbnail IS NULL OR length(thumbnail) <= 262144),
    ADD CONSTRAINT product_images_alt_text_check CHECK (length(alt_text) <= 500);
CREATE INDEX product_images_sha256_idx ON product_images (content_sha256) WHERE content_sha256 IS NOT NULL;

CREATE TABLE image_files (
    id                      uuid PRIMARY KEY,
    sha256                  text NOT NULL,
    format                  text NOT NULL,
    width                   integer NOT NULL,
    height                  integer NOT NULL,
    byte_size               integer NOT NULL,
    content                 bytea NOT NULL,
    created_by              uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT image_files_version_check CHECK (version >= 1),
    CONSTRAINT image_files_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT image_files_format_check CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    CONSTRAINT image_files_dimensions_check CHECK (width > 0 AND height > 0),
    CONSTRAINT image_files_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760)
);
CREATE UNIQUE INDEX image_files_sha256_key ON image_files (sha256);

REVOKE ALL ON image_files FROM PUBLIC;
ALTER TABLE image_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE image_files FORCE ROW LEVEL SECURITY;
GRANT SELECT ON image_files TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT ON image_files TO md_admin, md_vendor;
CREATE POLICY image_files_staff_read ON image_files FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY image_files_vendor_read ON image_files FOR SELECT TO md_vendor
    USING (created_by = md_uid() OR EXISTS (
        SELECT 1 FROM product_images i
        WHERE i.content_sha256 = image_files.sha256 AND i.deleted_at IS NULL AND md_owns_product(i.product_id)));
CREATE POLICY image_files_write ON image_files FOR INSERT TO md_admin, md_vendor
    WITH CHECK (created_by = md_uid());
