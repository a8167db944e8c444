-- Issue 11: the incident map. A report on the map (the public page or an Open311 app) is a service request case
-- from the 'map' channel; these tables hold what a report has beyond a case: its place, and how it came in.

-- Where the matter is: WGS84 degrees, as Open311's lat/long. A report located only by address_string or address_id
-- (no geocoder runs here) has no coordinates and is not drawn on the map.
CREATE TABLE case_locations (
    case_id        uniqueidentifier PRIMARY KEY REFERENCES cases (id),
    latitude       float NULL,
    longitude      float NULL,
    address_string nvarchar(max) NULL,
    address_id     nvarchar(max) NULL,
    CHECK ((latitude IS NULL AND longitude IS NULL) OR (latitude IS NOT NULL AND longitude IS NOT NULL))
);
-- The bounding-box search and the 50 m duplicate search: a range on latitude, longitude filtered from the same index.
CREATE INDEX ix_case_locations_lat_lon ON case_locations (latitude, longitude, case_id);

-- One row per report. The reporter's name, e-mail and phone as given live on the case (its contact party, or its
-- citizen when matched) and are never part of a public answer.
CREATE TABLE map_reports (
    case_id               uniqueidentifier PRIMARY KEY REFERENCES cases (id),
    token                 nvarchar(64) NOT NULL UNIQUE,           -- Open311's token for the request
    source                nvarchar(20) NOT NULL CHECK (source IN (N'open311', N'map_page')),
    app_key_id            uniqueidentifier NULL,                      -- the Open311 app whose api_key posted it
    device_id             nvarchar(max) NULL,
    account_id            nvarchar(max) NULL,
    attributes            nvarchar(max) NOT NULL DEFAULT N'{}',     -- JSON: question code -> list of answers
    media_links           nvarchar(max) NOT NULL DEFAULT N'[]',     -- JSON: media_url given by the client; stored, never fetched
    possible_duplicate_of uniqueidentifier NULL REFERENCES cases (id),-- flagged for the dispatcher, never merged automatically
    public_text           BIGINT  NOT NULL,               -- 1: on the public map; 0: waiting for review
    hidden_at             BIGINT  NULL,                   -- moderation: hidden from the public map and feed
    hidden_by             nvarchar(100) NULL,
    hidden_reason         nvarchar(max) NULL,
    created_at            INTEGER NOT NULL
);
CREATE INDEX ix_map_reports_created ON map_reports (created_at);
CREATE INDEX ix_map_reports_duplicate ON map_reports (possible_duplicate_of) WHERE possible_duplicate_of IS NOT NULL;
