-- Call control on calls Asterisk carries (issue 15): one row per hold state, recording, transfer and monitor, so any
-- replica answers GET /api/transfers/{id} and the next step of a transfer or monitor, and its event commits with it.
create table call_control (
    control_id  varchar(48)  primary key,
    call_id     varchar(40)  not null,
    kind        varchar(16)  not null,
    state       varchar(16)  not null,
    detail      varchar(256) not null,
    mode        varchar(16),
    extra       varchar(160),
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

create index call_control_call on call_control (call_id, kind);
create index call_control_updated on call_control (updated_at);

-- The Idempotency-Key of a call control request, as a digest per caller: claimed before the action, its answer kept
-- for replay within signaling.calls.idempotency-window.
create table call_control_request (
    key_digest     varchar(64)   primary key,
    request_digest varchar(64)   not null,
    answer         varchar(2000),
    created_at     timestamp with time zone not null
);

create index call_control_request_created on call_control_request (created_at);
