-- Up Migration

-- The newest heartbeat each kiosk sent with a sync request (sync/protocol/kiosk-heartbeat.ts),
-- with the platform's own receive time: the console judges a kiosk's health from it.
create table kiosk_heartbeats (
  kiosk_id text primary key references kiosks(id),
  received_at timestamptz not null,
  heartbeat jsonb not null
);

-- Down Migration
drop table kiosk_heartbeats;
