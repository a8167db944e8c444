-- Issue 11: the incident map. A report on the map (the public page or an Open311 app) is a service request case
-- from the 'map' channel; these tables hold what a report has beyond a case: its place, and how it came in.

-- Where the matter is: WGS84 degrees, as Open311's lat/long. A report located only by address_string or address_id
-- (no geocoder runs here) has no coordinates and is not drawn on the map.
CREATE TABLE case_locations (
    case_id        uuid PRIMARY KEY REFERENCES cases (id),
    latitude       DOUBLE PRECISION NULL,
    longitude      DOUBLE PRECISION NULL,
    address_string TEXT NULL,
    address_id     TEXT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
-- The bounding-box search and the 50 m duplicate search: a range on latitude, longitude filtered from the same index.
CREATE INDEX ix_case_locations_lat_lon ON case_locations (latitude, longitude, case_id);

-- One row per report. The reporter's name, e-mail and phone as given live on the case (its contact party, or its
-- citizen when matched) and are never part of a public answer.
CREATE TABLE map_reports (
    case_id               uuid PRIMARY KEY REFERENCES cases (id),
    token                 TEXT NOT NULL UNIQUE,           -- Open311's token for the request
    source                TEXT NOT NULL CHECK (source IN ('open311', 'map_page')),
    app_key_id            uuid NULL,                      -- the Open311 app whose api_key posted it
    device_id             TEXT NULL,
    account_id            TEXT NULL,
    attributes            TEXT NOT NULL DEFAULT '{}',     -- JSON: question code -> list of answers
    media_links           TEXT NOT NULL DEFAULT '[]',     -- JSON: media_url given by the client; stored, never fetched
    possible_duplicate_of uuid NULL REFERENCES cases (id),-- flagged for the dispatcher, never merged automatically
    public_text           BIGINT NOT NULL,               -- 1: on the public map; 0: waiting for review
    hidden_at             BIGINT NULL,                   -- moderation: hidden from the public map and feed
    hidden_by             TEXT NULL,
    hidden_reason         TEXT NULL,
    created_at            BIGINT NOT NULL
);
CREATE INDEX ix_map_reports_created ON map_reports (created_at);
CREATE INDEX ix_map_reports_duplicate ON map_reports (possible_duplicate_of) WHERE possible_duplicate_of IS NOT NULL;
