-- Up Migration

create index courses_seq on courses (server_seq);

-- One row per learner and lesson, updated as they play; completion is sticky and earns one
-- 'lesson' ledger entry (credit_ledger's unique source keeps replays from counting twice).
create table lesson_progress (
  id uuid primary key,
  learner_id text not null,
  course_id text not null references courses(id),
  lesson_id text not null,
  site_id text not null references sites(id),
  kiosk_id text not null references kiosks(id),
  position_seconds numeric not null check (position_seconds >= 0),
  duration_seconds numeric not null check (duration_seconds >= 0),
  completed boolean not null,
  completed_at timestamptz,
  device_time timestamptz not null,
  received_at timestamptz not null default now(),
  server_seq bigint not null,
  unique (learner_id, course_id, lesson_id)
);
create index lesson_progress_site_seq on lesson_progress (site_id, server_seq);

-- Down Migration
drop table lesson_progress;
drop index courses_seq;
