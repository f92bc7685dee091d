-- Webhook subscriptions (made over the API or from configuration) and their delivery outbox: one row per event
-- and subscription, retried until delivered or dead, with every attempt kept. Portable between H2 and PostgreSQL.
create table webhook_subscription (
    id                         varchar(40)   primary key,
    -- Configuration subscriptions only (upserted by name at start-up); null for those made over the API.
    name                       varchar(64),
    source                     varchar(16)   not null,
    url                        varchar(2048) not null,
    event_types                varchar(1000) not null,
    dns                        varchar(16000) not null,
    -- HMAC keys: they must be readable to sign, so the database is as sensitive as the configuration.
    secret                     varchar(256)  not null,
    previous_secret            varchar(256),
    previous_secret_expires_at timestamp with time zone,
    -- The last event_log position turned into deliveries: moves in the same transaction as the rows it creates.
    event_cursor               bigint        not null,
    created_at                 timestamp with time zone not null,
    updated_at                 timestamp with time zone not null
);

create unique index webhook_subscription_name on webhook_subscription (name);

create table webhook_delivery (
    id               varchar(40)  primary key,
    subscription_id  varchar(40)  not null references webhook_subscription (id) on delete cascade,
    event_position   bigint       not null,
    event_id         varchar(40)  not null,
    event_type       varchar(40)  not null,
    subject_type     varchar(16)  not null,
    subject          varchar(256) not null,
    sequence         bigint       not null,
    -- The exact body sent on every attempt (the event log may be pruned before the last retry).
    payload          varchar(32000) not null,
    status           varchar(16)  not null,
    attempts         integer      not null,
    created_at       timestamp with time zone not null,
    -- Start of the retry period: the creation, or the last redeliver request.
    retry_from       timestamp with time zone not null,
    next_attempt_at  timestamp with time zone,
    last_attempt_at  timestamp with time zone,
    completed_at     timestamp with time zone,
    last_status_code integer,
    last_error       varchar(500)
);

create unique index webhook_delivery_event on webhook_delivery (subscription_id, event_position);
-- The oldest pending delivery of a subject (order), and the due ones (dispatch).
create index webhook_delivery_subject
    on webhook_delivery (subscription_id, subject_type, subject, status, event_position);
create index webhook_delivery_due on webhook_delivery (status, next_attempt_at);
create index webhook_delivery_completed on webhook_delivery (completed_at);

create table webhook_attempt (
    delivery_id  varchar(40) not null references webhook_delivery (id) on delete cascade,
    attempt      integer     not null,
    attempted_at timestamp with time zone not null,
    duration_ms  bigint      not null,
    status_code  integer,
    error        varchar(500),
    primary key (delivery_id, attempt)
);
