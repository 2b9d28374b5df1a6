-- Up Migration

-- Pushes insert attendance and lesson progress a hundred rows at a time. A foreign key checks
-- each row on its own: one SPI query per row and reference, each taking a FOR KEY SHARE lock on
-- the site, kiosk, session or course row that every concurrent push at that site locks too. In
-- `npm run bench -- sync` (auto_explain with triggers) those checks were four fifths of an
-- attendance insert's time. The same guarantee is now kept in two set-based halves:
--   * after each insert or update statement, one query over its transition table checks that
--     every row's references exist, and refuses the statement (SQLSTATE 23503, as a foreign key
--     would) if one does not;
--   * the referenced rows are never deleted: sites, kiosks, class sessions, courses and learners
--     are retired, cancelled or hidden by a flag, never removed (no code path deletes them), and
--     a trigger now refuses a DELETE or TRUNCATE of those tables outright, so a reference
--     checked once stays good and nothing needs the row locks.

create function refuse_delete_of_referenced_rows() returns trigger language plpgsql as $$
begin
  raise exception using
    errcode = 'foreign_key_violation',
    message = format('rows of %s are never deleted: attendance, progress and the credit ledger refer to them', tg_table_name),
    hint = 'Retire, cancel or hide the row instead.';
end $$;

create trigger sites_never_deleted before delete or truncate on sites
  for each statement execute function refuse_delete_of_referenced_rows();
create trigger kiosks_never_deleted before delete or truncate on kiosks
  for each statement execute function refuse_delete_of_referenced_rows();
create trigger class_sessions_never_deleted before delete or truncate on class_sessions
  for each statement execute function refuse_delete_of_referenced_rows();
create trigger courses_never_deleted before delete or truncate on courses
  for each statement execute function refuse_delete_of_referenced_rows();
create trigger learners_never_deleted before delete or truncate on learners
  for each statement execute function refuse_delete_of_referenced_rows();

-- Each distinct reference is looked up once (a push names one session, site and kiosk), by a
-- scalar subquery: under NOT EXISTS the planner may hash a whole referenced table to check a
-- hundred rows, a scalar subquery is one index probe.
create function attendance_references_exist() returns trigger language plpgsql as $$
declare
  missing text;
begin
  select m.what into missing from (
    select 'class session ' || r.id from (select distinct class_session_id as id from checked) r
     where (select true from class_sessions s where s.id = r.id) is null
    union all
    select 'site ' || r.id from (select distinct site_id as id from checked) r
     where (select true from sites s where s.id = r.id) is null
    union all
    select 'kiosk ' || r.id from (select distinct kiosk_id as id from checked) r
     where (select true from kiosks k where k.id = r.id) is null
    union all
    select 'learner ' || r.id from (select distinct learner_id as id from checked where learner_id is not null) r
     where (select true from learners l where l.id = r.id) is null
  ) as m(what) limit 1;
  if found then
    raise exception using
      errcode = 'foreign_key_violation',
      message = format('attendance violates a foreign key: it names %s, which the platform does not have', missing);
  end if;
  return null;
end $$;

-- Transition tables allow one event per trigger and no column list: one trigger per event.
create trigger attendance_references_inserted after insert on attendance
  referencing new table as checked for each statement execute function attendance_references_exist();
create trigger attendance_references_updated after update on attendance
  referencing new table as checked for each statement execute function attendance_references_exist();
alter table attendance drop constraint attendance_class_session_id_fkey;
alter table attendance drop constraint attendance_site_id_fkey;
alter table attendance drop constraint attendance_kiosk_id_fkey;
alter table attendance drop constraint attendance_learner_fk;

create function lesson_progress_references_exist() returns trigger language plpgsql as $$
declare
  missing text;
begin
  select m.what into missing from (
    select 'course ' || r.id from (select distinct course_id as id from checked) r
     where (select true from courses c where c.id = r.id) is null
    union all
    select 'site ' || r.id from (select distinct site_id as id from checked) r
     where (select true from sites s where s.id = r.id) is null
    union all
    select 'kiosk ' || r.id from (select distinct kiosk_id as id from checked) r
     where (select true from kiosks k where k.id = r.id) is null
  ) as m(what) limit 1;
  if found then
    raise exception using
      errcode = 'foreign_key_violation',
      message = format('lesson progress violates a foreign key: it names %s, which the platform does not have', missing);
  end if;
  return null;
end $$;

create trigger lesson_progress_references_inserted after insert on lesson_progress
  referencing new table as checked for each statement execute function lesson_progress_references_exist();
create trigger lesson_progress_references_updated after update on lesson_progress
  referencing new table as checked for each statement execute function lesson_progress_references_exist();
alter table lesson_progress drop constraint lesson_progress_course_id_fkey;
alter table lesson_progress drop constraint lesson_progress_site_id_fkey;
alter table lesson_progress drop constraint lesson_progress_kiosk_id_fkey;

-- Each is the leading column of a wider index that serves the same lookups; every push wrote both.
drop index credit_ledger_learner;
drop index lesson_progress_learner;

-- Down Migration

create index lesson_progress_learner on lesson_progress (learner_id);
create index credit_ledger_learner on credit_ledger (learner_id);
alter table lesson_progress add constraint lesson_progress_kiosk_id_fkey foreign key (kiosk_id) references kiosks(id);
alter table lesson_progress add constraint lesson_progress_site_id_fkey foreign key (site_id) references sites(id);
alter table lesson_progress add constraint lesson_progress_course_id_fkey foreign key (course_id) references courses(id);
drop trigger lesson_progress_references_updated on lesson_progress;
drop trigger lesson_progress_references_inserted on lesson_progress;
drop function lesson_progress_references_exist();
alter table attendance add constraint attendance_learner_fk foreign key (learner_id) references learners(id);
alter table attendance add constraint attendance_kiosk_id_fkey foreign key (kiosk_id) references kiosks(id);
alter table attendance add constraint attendance_site_id_fkey foreign key (site_id) references sites(id);
alter table attendance add constraint attendance_class_session_id_fkey foreign key (class_session_id) references class_sessions(id);
drop trigger attendance_references_updated on attendance;
drop trigger attendance_references_inserted on attendance;
drop function attendance_references_exist();
drop trigger learners_never_deleted on learners;
drop trigger courses_never_deleted on courses;
drop trigger class_sessions_never_deleted on class_sessions;
drop trigger kiosks_never_deleted on kiosks;
drop trigger sites_never_deleted on sites;
drop function refuse_delete_of_referenced_rows();
