-- Up Migration

-- A code shown once (as text and QR) to the person installing a kiosk. Only its hash is kept,
-- so a database dump cannot enrol anything; used_at makes it single use.
create table enrolment_codes (
  code_hash text primary key,
  site_id text not null references sites(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  kiosk_id text references kiosks(id)
);
create index enrolment_codes_site on enrolment_codes (site_id);

-- Down Migration
drop table enrolment_codes;
