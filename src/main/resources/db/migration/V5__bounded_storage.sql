-- Bounded storage: what the retention job (call.CallRetention) deletes by, and the indexed DN filter of the call
-- history. Portable between H2 and PostgreSQL.

-- The DNs of each call of the history, one row per DN, so that GET /api/calls/history?dn= is an index lookup (an
-- exact match: no LIKE, in which "_" and "%" are wildcards). Filled when a call is recorded, in the same transaction
-- as its history row; deleted with it. call_history.dns stays: it keeps the DNs in their order for display.
-- V6 fills this table from the rows recorded before it existed.
create table call_history_dn (
    history_id  bigint      not null references call_history (id) on delete cascade,
    -- A DN as a filter can name it (dn.DnSyntax: at most 64 characters); longer values are never indexed.
    dn          varchar(64) not null,
    -- The filter: one DN's calls, newest first (the history's order), found without reading other DNs' rows.
    primary key (dn, history_id)
);

-- The cascade: a deleted call's DNs are found by its id, not by reading the whole table.
create index call_history_dn_history on call_history_dn (history_id);

-- Ended API calls are deleted once older than signaling.calls.history-retention.
create index api_call_ended_at on api_call (ended_at);

-- When a subject last had an event: a subject idle for longer than the retention is forgotten (its sequence starts
-- again at 1 if it ever comes back). Subjects that existed before this column are counted as used now, so they are
-- kept for one more full retention period.
alter table event_subject add column last_used_at timestamp with time zone default current_timestamp not null;
create index event_subject_last_used_at on event_subject (last_used_at);
