-- The nightly statistics snapshot (issue 10, items 5 and 6): the previous Bucharest day's figures per channel and
-- department, written by the statistics-snapshot job. One row set per day: a second run for the same day replaces the
-- day's rows in one transaction. The supervisors' reports compute from the cases and the timeline themselves; this table
-- keeps what cannot be recomputed later (how many cases were overdue on that day) and a cheap daily series.

CREATE TABLE statistics_snapshots (
    day                   date         NOT NULL,           -- Bucharest calendar date the figures are for
    channel               nvarchar(10) NOT NULL,           -- the case's or event's channel
    department            nvarchar(200) NOT NULL,           -- '' when no department (an unassigned petition, a call)
    interactions          BIGINT       NOT NULL,           -- as GET /api/reports/interactions counts them
    cases_opened          BIGINT       NOT NULL,
    cases_answered        BIGINT       NOT NULL,           -- answers and motivated refusals sent that day
    answered_within_term  BIGINT       NOT NULL,
    overdue_open          BIGINT       NOT NULL,           -- open cases past their due date at the end of that day, as seen by the run
    taken_at              BIGINT       NOT NULL,           -- UTC ms of the run that wrote the row
    PRIMARY KEY (day, channel, department)
);

-- Why an information request was refused, for the Law 544/2001 yearly report, which counts refusals by ground
-- (HG 123/2002 annex art. 27 lit. d): information exempt from free access (art. 12 of the law), information that does
-- not exist, or another reason. Optional on a refusal; NULL for refusals recorded before this column, and for other kinds.
ALTER TABLE cases ADD refusal_ground nvarchar(20) NULL CHECK (refusal_ground IN (N'exempt', N'nonexistent', N'other'));

-- The reports and the nightly snapshot read the timeline by when things happened (a range of days), which none of the
-- timeline's indexes serve: without this, a month's interactions scan every event (2.6 s on a million events).
CREATE INDEX ix_timeline_occurred ON timeline (occurred_at);
