-- The W3C trace id of the request that caused the event (32 hex digits), so a WWE request can be followed from its
-- trace to the event and back. Null for changes the service saw in Kamailio or Asterisk on its own.
alter table event_log add column trace_id varchar(32);

-- The W3C trace context of the request that placed an API call ("00-<trace id>-<span id>-<flags>"): the call's
-- events, appended later by the leader, continue that request's trace.
alter table api_call add column traceparent varchar(55);
