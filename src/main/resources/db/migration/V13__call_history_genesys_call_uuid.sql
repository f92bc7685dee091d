-- The Genesys SIP Server's id of the interaction (X-Genesys-CallUUID from a trusted peer, via Kamailio's dialog
-- variable): GET /api/calls?genesys_call_uuid= finds the call by it. Null for calls without one.
alter table call_history add column genesys_call_uuid varchar(64);
create index call_history_genesys_call_uuid on call_history (genesys_call_uuid);
