-- Up Migration

-- A learner is placed at a site by a credited record there (migration 1764400000000). That ran
-- once per inserted row: for a 100-row push, 100 plpgsql calls, 100 learner lookups and 100
-- single-row inserts into learner_sites, over half of the push's time in the database
-- (npm run bench -- sync). Inserts now place all their learners in one set-based statement per
-- insert statement, through a transition table. An update of a row's review status (an operator
-- approving a held record) or a progress row's site is still one row at a time: the row trigger
-- stays for those. The rule itself is unchanged: a new (learner, site) pair re-stamps the learner's
-- ledger and progress, so kiosks at the new site pull them.

create function place_inserted_learners() returns trigger language plpgsql as $$
declare
  placed text[];
begin
  with added as (
    insert into learner_sites (learner_id, site_id)
    select distinct r.learner_id, r.site_id
      from inserted r
     where r.learner_id is not null
       and (r.review_status is null or r.review_status = 'approved')
       and exists (select 1 from learners l where l.id = r.learner_id)
       -- Nearly every record is a visit to a site the learner is already placed at: a plain
       -- index probe is much cheaper than a speculative insert that finds the conflict.
       and not exists (select 1 from learner_sites s where s.learner_id = r.learner_id and s.site_id = r.site_id)
    on conflict do nothing
    returning learner_id
  )
  select array_agg(distinct learner_id) into placed from added;
  if placed is not null then
    update credit_ledger set server_seq = next_learner_sync_seq(learner_id) where learner_id = any(placed);
    update lesson_progress set server_seq = next_learner_sync_seq(learner_id) where learner_id = any(placed);
  end if;
  return null;
end $$;

drop trigger attendance_place_learner on attendance;
create trigger attendance_place_learners after insert on attendance
  referencing new table as inserted for each statement execute function place_inserted_learners();
create trigger attendance_place_learner after update of review_status on attendance
  for each row when (new.learner_id is not null and (new.review_status is null or new.review_status = 'approved'))
  execute function place_learner_from_record();

drop trigger lesson_progress_place_learner on lesson_progress;
create trigger lesson_progress_place_learners after insert on lesson_progress
  referencing new table as inserted for each statement execute function place_inserted_learners();
create trigger lesson_progress_place_learner after update of review_status, site_id on lesson_progress
  for each row when (new.review_status is null or new.review_status = 'approved')
  execute function place_learner_from_record();

-- Down Migration

drop trigger lesson_progress_place_learner on lesson_progress;
drop trigger lesson_progress_place_learners on lesson_progress;
create trigger lesson_progress_place_learner after insert or update of review_status, site_id on lesson_progress
  for each row when (new.review_status is null or new.review_status = 'approved')
  execute function place_learner_from_record();

drop trigger attendance_place_learner on attendance;
drop trigger attendance_place_learners on attendance;
create trigger attendance_place_learner after insert or update of review_status on attendance
  for each row when (new.learner_id is not null and (new.review_status is null or new.review_status = 'approved'))
  execute function place_learner_from_record();

drop function place_inserted_learners();
