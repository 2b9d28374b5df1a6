-- Up Migration

-- Kiosks pull their site's learners (names for manual check-in, the current card for staff to
-- show on screen). Every change to a learner or to their cards takes a new sync_seq, inside
-- withSyncWrite, so a kiosk's pull checkpoint never skips one.
alter table learners add column server_seq bigint;
update learners set server_seq = nextval('sync_seq');
alter table learners alter column server_seq set not null;
-- The site a learner last moved away from: its kiosks pull the move as a deletion.
alter table learners add column left_site_id text references sites(id);
create index learners_home_site_seq on learners (home_site_id, server_seq);
create index learners_left_site_seq on learners (left_site_id, server_seq);

-- Each learner's newest card that has not been revoked; whether it has expired is for the
-- reader to judge against its own clock.
create view latest_learner_cards as
  select distinct on (c.learner_id) c.learner_id, c.serial, c.issued_at, c.expires_at, c.card_text
    from learner_cards c
   where not exists (select 1 from card_revocations r where r.serial = c.serial)
   order by c.learner_id, c.issued_at desc, c.serial desc;

-- Down Migration
drop view latest_learner_cards;
drop index learners_left_site_seq;
drop index learners_home_site_seq;
alter table learners drop column left_site_id;
alter table learners drop column server_seq;
