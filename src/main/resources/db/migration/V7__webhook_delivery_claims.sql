-- Replicas on one database claim a webhook delivery before attempting it, so that two never send it at once:
-- claimed_by names the replica, claimed_until ends its lease. A replica that dies mid-attempt leaves the claim to
-- lapse, and another one attempts the delivery then. Portable between H2 and PostgreSQL.
alter table webhook_delivery add column claimed_by varchar(64);
alter table webhook_delivery add column claimed_until timestamp with time zone;
