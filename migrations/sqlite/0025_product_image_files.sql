-- =============================================================================
-- Marketdesk 0025, SQLite: product images people upload, as on PostgreSQL
-- (migration 0032 there). A desktop on its own file keeps its originals in
-- image_files; a local copy beside a server receives product_images with
-- their thumbnails and keeps only the originals it opened (in its cache).
-- =============================================================================

ALTER TABLE product_images ADD COLUMN content_sha256 TEXT NULL
    CHECK (content_sha256 IS NULL OR (length(content_sha256) = 64 AND content_sha256 NOT GLOB '*[^0-9a-f]*'));
ALTER TABLE product_images ADD COLUMN format TEXT NULL CHECK (format IS NULL OR format IN ('jpeg', 'png', 'webp', 'gif'));
ALTER TABLE product_images ADD COLUMN byte_size INTEGER NULL CHECK (byte_size IS NULL OR byte_size > 0);
ALTER TABLE product_images ADD COLUMN thumbnail BLOB NULL CHECK (thumbnail IS NULL OR length(thumbnail) <= 262144);
ALTER TABLE product_images ADD COLUMN uploaded_by BLOB NULL REFERENCES users (id);
ALTER TABLE product_images ADD COLUMN publish_error TEXT NULL;
CREATE INDEX product_images_sha256_idx ON product_images (content_sha256) WHERE content_sha256 IS NOT NULL;

CREATE TABLE image_files (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    sha256                  TEXT NOT NULL,
    format                  TEXT NOT NULL,
    width                   INTEGER NOT NULL,
    height                  INTEGER NOT NULL,
    byte_size               INTEGER NOT NULL,
    content                 BLOB NOT NULL,
    created_by              BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT image_files_version_check CHECK (version >= 1),
    CONSTRAINT image_files_sha256_check CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    CONSTRAINT image_files_format_check CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    CONSTRAINT image_files_dimensions_check CHECK (width > 0 AND height > 0),
    CONSTRAINT image_files_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760)
) STRICT;
CREATE UNIQUE INDEX image_files_sha256_key ON image_files (sha256);
