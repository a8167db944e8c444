-- The dispatchers' queue (issue 10, item 4). A case's priority, set by a dispatcher: 0 low, 1 normal (every case
-- starts here), 2 high, 3 urgent. The queue sorts by time left to the term first, then by priority, highest first.
ALTER TABLE cases ADD priority BIGINT NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3);

-- The queue's filters on open cases: by assignee and by department, each then by due date.
CREATE INDEX ix_cases_open_assignee ON cases (assigned_to, due_on) WHERE status IN (N'registered', N'assigned', N'in_progress');
CREATE INDEX ix_cases_open_department ON cases (assigned_department, due_on) WHERE status IN (N'registered', N'assigned', N'in_progress');
