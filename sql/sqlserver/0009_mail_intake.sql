-- E-mail intake (issue 10, item 2): every message read from the registry mailbox, once, and the messages CitizenCRM
-- sent, so a reply can be threaded to its case (src/CitizenCrm.Core/Intake/).
--
-- message_key is the message's Message-ID without its angle brackets; one longer than 400 characters is kept as
-- 'mid-sha256:' + the SHA-256 of it, and a message without one as 'env-sha256:' + the SHA-256 of its IMAP envelope
-- (date, from, sender, reply-to, to, cc, bcc, subject, in-reply-to) and size, which never change for a stored message.
-- The row of a received message is written in the same transaction as its case, so a crash between registering and
-- moving the message to the processed folder registers it only once: the next poll finds the row and only moves it.
CREATE TABLE mail_messages (
    -- NONCLUSTERED: a clustered key holds at most 900 bytes, and 500 nvarchar characters are 1000 (a nonclustered one 1700).
    message_key  nvarchar(500) NOT NULL PRIMARY KEY NONCLUSTERED,
    direction    nvarchar(10) NOT NULL CHECK (direction IN (N'received', N'sent')),
    -- registered: a new case; threaded: added to an existing case; ignored: an automatic message (a bounce, an
    -- out-of-office) that belongs to no case; failed: refused and moved to the failed folder; retrying: processing
    -- failed unexpectedly and is tried again at the next poll (up to 3 times); sent: one of ours.
    outcome      nvarchar(20) NOT NULL CHECK (outcome IN (N'registered', N'threaded', N'ignored', N'failed', N'retrying', N'sent')),
    case_id      uniqueidentifier NULL REFERENCES cases (id),
    attempts     BIGINT       NOT NULL DEFAULT 0,
    reason       nvarchar(500) NULL,                 -- why it failed, was ignored or is being retried
    recorded_at  BIGINT       NOT NULL,             -- UTC ms
    updated_at   BIGINT       NOT NULL
);
CREATE INDEX ix_mail_messages_case ON mail_messages (case_id) WHERE case_id IS NOT NULL;
