-- ASP.NET Core's data-protection key ring (the keys behind cookies and anti-forgery tokens), shared by every server node
-- through the database (issue 13): a token made on one node is read on any other. Each row is one element of the ring as
-- ASP.NET Core writes it (a key, or a revocation), its secret part encrypted before it gets here with a key kept outside
-- the database (src/CitizenCrm.Server/Hosting/DataProtectionKeys.cs). Rows are only added; ASP.NET Core expires keys itself.
-- The XML is nvarchar(max), not xml: it is written and read whole.
CREATE TABLE data_protection_keys (
    id            BIGINT        IDENTITY(1,1) NOT NULL PRIMARY KEY,
    friendly_name NVARCHAR(200) NOT NULL,               -- key-<guid> or revocation-<time>, ASP.NET Core's name for it
    xml           NVARCHAR(MAX) NOT NULL,
    created_at    BIGINT        NOT NULL                -- UTC ms
);
