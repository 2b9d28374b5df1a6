-- Up Migration

-- Every replicated row carries server_seq from this sequence, taken while holding the sync
-- write lock, so pulls can checkpoint on it (see database.ts withSyncWrite).
create sequence sync_seq;

create table sites (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table kiosks (
  id text primary key,
  site_id text not null references sites(id),
  name text not null,
  token_hash text not null,
  status text not null default 'active' check (status in ('active', 'revoked')),
  enrolled_at timestamptz not null default now(),
  last_seen_at timestamptz
);

create table learners (
  id text primary key,
  display_name text not null,
  home_site_id text references sites(id),
  created_at timestamptz not null default now()
);

create table issuer_keys (
  id text primary key,
  public_key text not null,
  -- The signing half never leaves the platform: pulls select public columns only.
  secret_key text not null,
  status text not null check (status in ('active', 'verify-only', 'retired')),
  created_at timestamptz not null default now(),
  server_seq bigint not null
);

create sequence learner_card_serial;

create table learner_cards (
  serial bigint primary key,
  learner_id text not null references learners(id),
  issuer_key_id text not null references issuer_keys(id),
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  card_text text not null
);

create table card_revocations (
  serial bigint primary key references learner_cards(serial),
  learner_id text not null references learners(id),
  revoked_at timestamptz not null default now(),
  server_seq bigint not null
);

create table courses (
  id text primary key,
  version integer not null default 1,
  manifest jsonb not null,
  credit_hours numeric not null check (credit_hours >= 0),
  server_seq bigint not null,
  deleted boolean not null default false
);

create table class_sessions (
  id uuid primary key,
  site_id text not null references sites(id),
  course_id text references courses(id),
  title text not null,
  teacher text not null default '',
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null check (status in ('planned', 'open', 'closed')),
  roster jsonb not null default '[]',
  deleted boolean not null default false,
  server_seq bigint not null,
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index class_sessions_site_seq on class_sessions (site_id, server_seq);

create table attendance (
  id uuid primary key,
  class_session_id uuid not null references class_sessions(id),
  learner_id text not null,
  site_id text not null references sites(id),
  kiosk_id text not null references kiosks(id),
  method text not null check (method in ('camera', 'scanner', 'manual')),
  card_serial bigint,
  on_roster boolean not null,
  device_time timestamptz not null,
  received_at timestamptz not null default now(),
  server_seq bigint not null,
  unique (class_session_id, learner_id)
);
create index attendance_site_seq on attendance (site_id, server_seq);
create index attendance_learner on attendance (learner_id);

-- Credit rules are data: a row per rule, read when a ledger entry is made.
create table credit_rules (
  name text primary key,
  value numeric not null check (value >= 0),
  description text not null
);
insert into credit_rules (name, value, description) values
  ('hours_per_credit', 10, 'learning hours that make one credit-bank credit'),
  ('daily_cap_hours', 6, 'most hours one learner can earn on one day');

create table credit_ledger (
  id uuid primary key,
  learner_id text not null,
  source_type text not null check (source_type in ('attendance', 'lesson', 'course')),
  source_id uuid not null,
  hours numeric not null check (hours >= 0),
  credits numeric not null check (credits >= 0),
  status text not null default 'provisional' check (status in ('provisional', 'confirmed')),
  earned_on date not null,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  server_seq bigint not null,
  -- One entry per source record, whatever is replayed.
  unique (source_type, source_id)
);
create index credit_ledger_learner_day on credit_ledger (learner_id, earned_on);
create index credit_ledger_seq on credit_ledger (server_seq);

-- Down Migration
drop table credit_ledger;
drop table credit_rules;
drop table attendance;
drop table class_sessions;
drop table courses;
drop table card_revocations;
drop table learner_cards;
drop sequence learner_card_serial;
drop table issuer_keys;
drop table learners;
drop table kiosks;
drop table sites;
drop sequence sync_seq;
