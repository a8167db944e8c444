-- Scheduled jobs (issue 10, item 5). Quartz.NET keeps its own schedule in its QRTZ_ tables in this same file
-- (created by Quartz at start, see src/CitizenCrm.Server/Hosting/Jobs.cs); this is our record of what each run did.

CREATE TABLE job_runs (
    id          INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_name    VARCHAR(64)  NOT NULL,                -- phone-housekeeping, deadline-sweep, ...
    started_at  BIGINT       NOT NULL,                -- UTC ms, the application's clock
    finished_at BIGINT       NOT NULL,
    duration_ms BIGINT       NOT NULL,                -- measured with a stopwatch (the clock may be a test's fixed one)
    outcome     VARCHAR(20)  NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    summary     VARCHAR(500) NOT NULL,                -- what it changed, one line; for a failure, the reason
    triggered   VARCHAR(20)  NOT NULL                 -- 'schedule' or 'admin' (run now)
);
CREATE INDEX ix_job_runs_job ON job_runs (job_name, id);

-- The deadline sweep's mark on a case, for the queue: 'due_soon' or 'overdue', and the due date it was raised for
-- (a term extended later is a new term, so its own stages fire again).
ALTER TABLE cases ADD COLUMN escalation VARCHAR(20) NULL CHECK (escalation IN ('due_soon', 'overdue'));
ALTER TABLE cases ADD COLUMN escalation_due_on TEXT NULL;
ALTER TABLE cases ADD COLUMN escalated_at BIGINT NULL;
