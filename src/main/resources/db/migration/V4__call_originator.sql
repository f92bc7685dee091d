-- Who placed each API call: 'asterisk' (AMI Originate) or 'kamailio' (dlg.bridge_dlg click-to-dial).
-- Calls placed before this column existed all went through Asterisk.
alter table api_call add column originator varchar(16) default 'asterisk' not null;
