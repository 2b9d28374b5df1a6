-- Up Migration

-- The one place server_seq is taken (docs/check-in-and-sync.md, "Write sequence"). It refuses to
-- run unless this backend holds the sync write lock (withSyncWrite's advisory xact lock 7310):
-- a number taken without it could commit after a higher one and make a pull skip a row. The
-- lock check is remembered for the rest of the transaction (an xact lock cannot be released
-- early), so a 500-row batch reads pg_locks once, not 500 times.
create function next_sync_seq() returns bigint language plpgsql volatile as $$
begin
  if coalesce(current_setting('yx.sync_write_lock', true), '') <> 'held' then
    if not exists (select 1 from pg_locks
                    where locktype = 'advisory' and pid = pg_backend_pid() and granted
                      and classid = 0 and objid = 7310 and objsubid = 1) then
      raise exception 'next_sync_seq() called without the sync write lock: write inside withSyncWrite';
    end if;
    perform set_config('yx.sync_write_lock', 'held', true);
  end if;
  return nextval('sync_seq');
end $$;

-- Plausible device times: a little kiosk clock drift is normal, more is not (rule as data).
insert into credit_rules (name, value, description) values
  ('clock_skew_minutes', 10, 'how far ahead of the platform a kiosk clock may run before its records are held as implausible');

-- Attendance: learner_id now references learners. The kiosk's word is kept in
-- claimed_learner_id (never null, part of the record's identity); learner_id is set only when
-- that learner exists, so a check-in for an unknown learner is stored and held for review, and
-- nothing credited can name a learner the platform does not have.
alter table attendance add column claimed_learner_id text;
update attendance set claimed_learner_id = learner_id;
alter table attendance alter column claimed_learner_id set not null;
alter table attendance alter column learner_id drop not null;
alter table attendance drop constraint attendance_class_session_id_learner_id_key;
alter table attendance add constraint attendance_session_claimed_learner unique (class_session_id, claimed_learner_id);

-- Review: null means every re-check passed; 'held' earns nothing until an operator approves.
-- credit_seq is stamped (from next_sync_seq) when a record becomes creditable, on arrival or on
-- approval: the credit rule runs over sources in credit_seq order, push and recompute alike.
alter table attendance add column review_status text check (review_status in ('held', 'approved', 'refused'));
alter table attendance add column review_reasons text[] not null default '{}';
alter table attendance add column reviewed_at timestamptz;
alter table attendance add column credit_seq bigint;
update attendance set credit_seq = server_seq;

-- Rows stored before this migration for learners the platform never had: held for review with
-- unknown-learner, their learner_id cleared so the foreign key can hold. Their ledger entries
-- are left as they are (credits may already have been reported); recompute lists them as orphans.
update attendance a set learner_id = null, review_status = 'held', review_reasons = '{unknown-learner}', credit_seq = null
 where not exists (select 1 from learners l where l.id = a.learner_id);
alter table attendance add constraint attendance_learner_fk foreign key (learner_id) references learners(id);
alter table attendance add constraint attendance_learner_is_claimed check (learner_id is null or learner_id = claimed_learner_id);
alter table attendance add constraint attendance_credited_learner_known check (credit_seq is null or learner_id is not null);
create index attendance_review on attendance (review_status) where review_status is not null;

alter table lesson_progress add column review_status text check (review_status in ('held', 'approved', 'refused'));
alter table lesson_progress add column review_reasons text[] not null default '{}';
alter table lesson_progress add column reviewed_at timestamptz;
alter table lesson_progress add column credit_seq bigint;
-- The hours a completion earned, fixed when it was credited: a later course version may split
-- the course into more lessons, and that must not change what was already earned.
alter table lesson_progress add column credited_hours numeric check (credited_hours >= 0);
update lesson_progress p set credit_seq = l.server_seq, credited_hours = l.hours
  from credit_ledger l where l.source_type = 'lesson' and l.source_id = p.id;
create index lesson_progress_review on lesson_progress (review_status) where review_status is not null;

-- Rows a kiosk pushed that the platform could not store (unknown session, course, lesson;
-- malformed identity), kept exactly as received for operators. A replay of the same document
-- is not kept twice.
create table sync_refusals (
  id bigint generated always as identity primary key,
  collection text not null,
  record_id text not null,
  kiosk_id text not null references kiosks(id),
  site_id text not null references sites(id),
  reason text not null,
  message text not null,
  document jsonb not null,
  document_md5 text not null,
  received_at timestamptz not null default now(),
  unique (collection, record_id, document_md5)
);

-- Scope stamped at write time: a learner is visible to a site's kiosks (their ledger entries and
-- lesson progress) once this row exists. Written for the home site and for the first accepted
-- record at a site; whenever a row is added, the learner's ledger entries and progress take new
-- sequence numbers, so a kiosk syncing incrementally pulls them just as a fresh one would.
create table learner_sites (
  learner_id text not null references learners(id),
  site_id text not null references sites(id),
  placed_at timestamptz not null default now(),
  primary key (learner_id, site_id)
);
create index learner_sites_site on learner_sites (site_id);

insert into learner_sites (learner_id, site_id)
  select id, home_site_id from learners where home_site_id is not null
  union select learner_id, site_id from attendance where learner_id is not null
  union select p.learner_id, p.site_id from lesson_progress p join learners l on l.id = p.learner_id
  on conflict do nothing;
-- The scope just widened (progress is now pulled by learner, not by the row's site), so every
-- kiosk pulls ledger and progress once more; they are idempotent upserts on the kiosk.
update credit_ledger set server_seq = nextval('sync_seq');
update lesson_progress set server_seq = nextval('sync_seq');
create index lesson_progress_learner on lesson_progress (learner_id);
create index credit_ledger_learner on credit_ledger (learner_id);

create function place_learner_at_site(p_learner text, p_site text) returns void language plpgsql as $$
declare
  added integer;
begin
  insert into learner_sites (learner_id, site_id) values (p_learner, p_site) on conflict do nothing;
  get diagnostics added = row_count;
  if added > 0 then
    update credit_ledger set server_seq = next_sync_seq() where learner_id = p_learner;
    update lesson_progress set server_seq = next_sync_seq() where learner_id = p_learner;
  end if;
end $$;

create function place_learner_from_home() returns trigger language plpgsql as $$
begin
  perform place_learner_at_site(new.id, new.home_site_id);
  return null;
end $$;
create trigger learners_place_at_home after insert or update of home_site_id on learners
  for each row when (new.home_site_id is not null) execute function place_learner_from_home();

create function place_learner_from_record() returns trigger language plpgsql as $$
begin
  if exists (select 1 from learners where id = new.learner_id) then
    perform place_learner_at_site(new.learner_id, new.site_id);
  end if;
  return null;
end $$;
create trigger attendance_place_learner after insert or update of review_status on attendance
  for each row when (new.learner_id is not null and (new.review_status is null or new.review_status = 'approved'))
  execute function place_learner_from_record();
create trigger lesson_progress_place_learner after insert or update of review_status, site_id on lesson_progress
  for each row when (new.review_status is null or new.review_status = 'approved')
  execute function place_learner_from_record();

-- Down Migration

drop trigger lesson_progress_place_learner on lesson_progress;
drop trigger attendance_place_learner on attendance;
drop function place_learner_from_record();
drop trigger learners_place_at_home on learners;
drop function place_learner_from_home();
drop function place_learner_at_site(text, text);
drop index credit_ledger_learner;
drop index lesson_progress_learner;
drop table learner_sites;
drop table sync_refusals;
drop index lesson_progress_review;
alter table lesson_progress drop column credited_hours;
alter table lesson_progress drop column credit_seq;
alter table lesson_progress drop column reviewed_at;
alter table lesson_progress drop column review_reasons;
alter table lesson_progress drop column review_status;
drop index attendance_review;
alter table attendance drop constraint attendance_credited_learner_known;
alter table attendance drop constraint attendance_learner_is_claimed;
alter table attendance drop constraint attendance_learner_fk;
alter table attendance drop column credit_seq;
alter table attendance drop column reviewed_at;
alter table attendance drop column review_reasons;
alter table attendance drop column review_status;
update attendance set learner_id = claimed_learner_id;
alter table attendance alter column learner_id set not null;
alter table attendance drop constraint attendance_session_claimed_learner;
alter table attendance add constraint attendance_class_session_id_learner_id_key unique (class_session_id, learner_id);
alter table attendance drop column claimed_learner_id;
delete from credit_rules where name = 'clock_skew_minutes';
drop function next_sync_seq();
