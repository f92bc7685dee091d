-- One row that every transaction appending to event_log updates first. Its row lock, held until the transaction
-- ends, lets one writer at a time append, across every replica on this database: positions then become visible in
-- the order they were given, and a reader that has seen position n never finds n-1 committed later.
create table event_log_writer (
    id             integer primary key,
    last_append_at timestamp with time zone
);

insert into event_log_writer (id, last_append_at) values (1, null);
