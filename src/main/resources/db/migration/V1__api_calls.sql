-- Calls placed through the API: their correlation record and state, and the Idempotency-Key that placed them.
-- Portable between H2 (the embedded default) and PostgreSQL (production).
create table api_call (
    call_id              varchar(40)  primary key,
    from_dn              varchar(64)  not null,
    destination          varchar(64)  not null,
    caller_id            varchar(32),
    auto_answer          boolean      not null,
    ring_timeout_seconds integer      not null,
    status               varchar(16)  not null,
    sip_call_id          varchar(256),
    dialog_id            varchar(32),
    asterisk_linkedid    varchar(150),
    channels             varchar(2000),
    created_at           timestamp with time zone not null,
    answered_at          timestamp with time zone,
    ended_at             timestamp with time zone,
    end_cause            varchar(32),
    hangup_cause         integer,
    idempotency_key      varchar(128),
    request_fingerprint  varchar(64)
);

create unique index api_call_idempotency_key on api_call (idempotency_key);
create index api_call_status on api_call (status);
