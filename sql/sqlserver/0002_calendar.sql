-- Days the government declares free on top of the legal holidays (computed in code for any year).
CREATE TABLE non_working_days (
    day         date         NOT NULL PRIMARY KEY,   -- Bucharest calendar date, yyyy-MM-dd
    reason      nvarchar(200) NOT NULL,
    declared_by nvarchar(100) NOT NULL,
    declared_at BIGINT       NOT NULL
);
