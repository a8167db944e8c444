-- Issue 11: the API keys of Open311 apps. GeoReport v2 asks an api_key of every app that posts a service request; an
-- admin issues one key per app, sees it once, and may revoke it. Only the key's SHA-256 is kept: a key is 256 random
-- bits, so a plain hash cannot be reversed by guessing, and a copy of the database lets nobody post as the app.
CREATE TABLE open311_keys (
    id          uniqueidentifier NOT NULL PRIMARY KEY,
    app_name    nvarchar(200) NOT NULL,
    key_hash    nvarchar(64) NOT NULL UNIQUE,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    revoked_at  BIGINT       NULL,
    revoked_by  nvarchar(100) NULL,
    revoked_reason nvarchar(300) NULL
);
