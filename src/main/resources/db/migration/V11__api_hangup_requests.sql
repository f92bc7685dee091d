-- A hang-up asked through the API, on any replica: whichever replica then records the call's end (the one that hung
-- it up, or another that heard Asterisk's hang-up first), its end cause is "hangup_api" (call.internal.CallRepository).
alter table api_call add column hangup_requested boolean default false not null;
