-- Up Migration

-- Records by USB (docs/check-in-and-sync.md, "Records by USB"): each kiosk's Ed25519 public key
-- for signing record bundles, registered with its enrolment (or, for a kiosk enrolled before
-- bundles, on its first sync after: the first key wins, so a credential alone cannot swap it), and
-- a log of every bundle imported.
alter table kiosks add column bundle_public_key text check (bundle_public_key ~ '^[A-Za-z0-9_-]{43}$');
alter table kiosks add column bundle_key_registered_at timestamptz;
-- Sent with an enrolment request and given to the kiosk row when the request is collected.
alter table enrolment_requests add column bundle_public_key text check (bundle_public_key ~ '^[A-Za-z0-9_-]{43}$');

-- One row per import (a replay of the same bundle adds a row too: operators see it was carried twice).
create table record_bundle_imports (
  id bigserial primary key,
  kiosk_id text not null references kiosks(id),
  bundle_seq integer not null,
  bundle_sha256 text not null,
  record_count integer not null,
  -- 'admin' (CLI or admin API) or the id of the kiosk that relayed it.
  imported_via text not null,
  imported_at timestamptz not null default now()
);
create index record_bundle_imports_kiosk on record_bundle_imports (kiosk_id, bundle_seq);

-- Down Migration
drop table record_bundle_imports;
alter table enrolment_requests drop column bundle_public_key;
alter table kiosks drop column bundle_key_registered_at;
alter table kiosks drop column bundle_public_key;
