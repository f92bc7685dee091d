-- The Asterisk node (signaling.asterisk.nodes) that took each API call: its legs are hung up there, from any replica.
-- Null for Kamailio's calls and for calls stored before this column, whose hang-ups ask every node.
alter table api_call add column pbx_node varchar(100);
