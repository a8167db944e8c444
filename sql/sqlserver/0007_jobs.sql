-- Scheduled jobs (issue 10, item 5). Quartz.NET keeps its own schedule in its QRTZ_ tables in this same file
-- (created by Quartz at start, see src/CitizenCrm.Server/Hosting/Jobs.cs); this is our record of what each run did.

CREATE TABLE job_runs (
    id          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    job_name    nvarchar(64) NOT NULL,                -- phone-housekeeping, deadline-sweep, ...
    started_at  BIGINT       NOT NULL,                -- UTC ms, the application's clock
    finished_at BIGINT       NOT NULL,
    duration_ms BIGINT       NOT NULL,                -- measured with a stopwatch (the clock may be a test's fixed one)
    outcome     nvarchar(20) NOT NULL CHECK (outcome IN (N'succeeded', N'failed')),
    summary     nvarchar(500) NOT NULL,                -- what it changed, one line; for a failure, the reason
    triggered   nvarchar(20) NOT NULL                 -- 'schedule' or 'admin' (run now)
);
CREATE INDEX ix_job_runs_job ON job_runs (job_name, id);

-- The deadline sweep's mark on a case, for the queue: 'due_soon' or 'overdue', and the due date it was raised for
-- (a term extended later is a new term, so its own stages fire again).
ALTER TABLE cases ADD escalation nvarchar(20) NULL CHECK (escalation IN (N'due_soon', N'overdue'));
ALTER TABLE cases ADD escalation_due_on date NULL;
ALTER TABLE cases ADD escalated_at BIGINT NULL;
