-- The cluster's leader lease (cluster.internal.ClusterConfiguration): the table Spring Integration's
-- DefaultLockRepository reads and writes, with the prefix CLUSTER_. One row per held lock; the leader renews
-- expired_after (this replica's UTC clock, no time zone, as the library writes it) and another replica takes the
-- row once it has lapsed. client_id is the replica's name (shared.ReplicaId), up to 64 characters.
create table cluster_lock (
    lock_key      char(36)     not null,
    region        varchar(100) not null,
    client_id     varchar(64),
    created_date  timestamp    not null,
    expired_after timestamp    not null,
    constraint cluster_lock_pk primary key (lock_key, region)
);

-- What each subject was last announced as (EventLog.latestBySubject): a new leader starts from it, so a change
-- made while no replica led is announced once and a state already announced is not announced again.
create index event_log_subject on event_log (subject_type, subject, sequence);
