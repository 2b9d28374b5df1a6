-- Up Migration

-- The people who run sites and the platform. A province admin sees everything; a site manager
-- only the sites listed for them in operator_sites. Passwords are argon2id PHC strings.
create table operators (
  id uuid primary key,
  login text not null unique check (login = lower(login) and length(login) between 3 and 64),
  display_name text not null,
  role text not null check (role in ('province-admin', 'site-manager')),
  password_hash text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table operator_sites (
  operator_id uuid not null references operators(id) on delete cascade,
  site_id text not null references sites(id),
  primary key (operator_id, site_id)
);

-- Only the hash of a session's cookie is kept, so a database dump signs nobody in.
create table operator_sessions (
  token_hash text primary key,
  operator_id uuid not null references operators(id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index operator_sessions_operator on operator_sessions (operator_id);

-- Failed sign-ins per login name (known or not, so an attacker learns nothing from the lockout),
-- for lockout with a growing wait. A success clears the row.
create table operator_login_attempts (
  login text primary key,
  failures integer not null,
  last_failure_at timestamptz not null,
  locked_until timestamptz
);

-- Down Migration
drop table operator_login_attempts;
drop table operator_sessions;
drop table operator_sites;
drop table operators;
