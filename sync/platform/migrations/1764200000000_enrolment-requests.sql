-- Up Migration

-- A kiosk asking to be enrolled, as a TV shows a code to sign in with (OAuth's device flow).
-- The kiosk shows user_code (and a QR of the approval page); an admin approves it for a site;
-- the kiosk, polling with the secret only it holds, then collects its credential once.
-- user_code is not a secret (approving needs the admin token, collecting needs the poll
-- secret), so it is kept as shown, for the admin's list of pending requests.
create table enrolment_requests (
  id uuid primary key,
  user_code text not null unique,
  poll_secret_hash text not null,
  kiosk_name text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  site_id text references sites(id),
  approved_at timestamptz,
  refused_at timestamptz,
  kiosk_id text references kiosks(id),
  completed_at timestamptz,
  check (approved_at is null or refused_at is null),
  check ((approved_at is null) = (site_id is null)),
  check (kiosk_id is null or approved_at is not null)
);
create index enrolment_requests_expires on enrolment_requests (expires_at);

-- Down Migration
drop table enrolment_requests;
