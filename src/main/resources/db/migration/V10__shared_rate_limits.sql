-- The rate-limit budgets every replica draws from (security.internal.PostgresBudgets): Bucket4j's PostgreSQL
-- backend, one row per budget and key ("ip:198.51.100.7", "make_credential:wwe"), its state as Bucket4j serializes
-- it, and when the row may be deleted (epoch milliseconds). Used on PostgreSQL only; on H2 (one replica) each
-- replica's own buckets are the limits.
create table rate_limit_bucket (
    id         varchar(200) primary key,
    state      bytea,
    expires_at bigint
);

create index rate_limit_bucket_expires_at on rate_limit_bucket (expires_at);
