-- Issue 11: the photos of map reports. The bytes live in {DataFolder}/photos/{first two hex}/{sha256}, re-encoded
-- (no EXIF, GPS or XMP survives); a row names the full picture and its thumbnail by their hashes, so the same picture
-- sent twice is stored once. A photo is public when it is published and not hidden, and its report is public
-- (map_reports.public_text = 1 and map_reports.hidden_at IS NULL).
CREATE TABLE case_photos (
    id                   uniqueidentifier PRIMARY KEY,
    case_id              uniqueidentifier NOT NULL REFERENCES cases (id),
    position             BIGINT  NOT NULL,               -- 1, 2, ... in the order the reporter sent them
    sha256               nvarchar(64) NOT NULL,                  -- the re-encoded picture (JPEG)
    content_type         nvarchar(100) NOT NULL,
    width                BIGINT  NOT NULL,
    height               BIGINT  NOT NULL,
    size_bytes           BIGINT  NOT NULL,
    thumbnail_sha256     nvarchar(64) NOT NULL,
    thumbnail_width      BIGINT  NOT NULL,
    thumbnail_height     BIGINT  NOT NULL,
    thumbnail_size_bytes BIGINT  NOT NULL,
    original_type        nvarchar(100) NOT NULL,                  -- what arrived, read from its bytes: image/jpeg, image/png, image/webp
    original_size_bytes  BIGINT  NOT NULL,
    published_at         BIGINT  NULL,                   -- moderation: on the public map since (NULL: waiting for review)
    published_by         nvarchar(100) NULL,
    hidden_at            BIGINT  NULL,                   -- moderation: hidden from the public map and feed
    hidden_by            nvarchar(100) NULL,
    hidden_reason        nvarchar(max) NULL,
    created_at           INTEGER NOT NULL,
    UNIQUE (case_id, position),
    CHECK ((hidden_at IS NULL AND hidden_reason IS NULL) OR (hidden_at IS NOT NULL AND hidden_reason IS NOT NULL))
);
-- "Is this file still referred to?" after a failed report, and the sweep at start.
CREATE INDEX ix_case_photos_sha256 ON case_photos (sha256);
CREATE INDEX ix_case_photos_thumbnail ON case_photos (thumbnail_sha256);
