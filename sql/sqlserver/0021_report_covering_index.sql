-- The interactions and phone-robot reports read a range of days from the timeline and need, of each event, only its
-- channel, kind, case and call id. On ix_timeline_occurred (occurred_at alone) SQLite finds the range in the index and
-- then reads every event's row from the table: 473 ms of server CPU for 90 days on the million-event demo city, ten
-- times that at ten million (docs/PERFORMANCE.md, "Reports"). With those columns in the index the report reads the
-- index alone. It replaces the old index rather than adding one, so an append still maintains the same number of them.
DROP INDEX ix_timeline_occurred ON timeline_events;
CREATE INDEX ix_timeline_events_occurred ON timeline_events (occurred_at, channel, kind, case_id, correlation);
