-- Up Migration

-- A card signed by a retired issuer key is no longer its learner's current card: kiosks stop
-- listing it, and the next card sheet for the site issues a new one (admin/issuer-keys.ts).
create or replace view latest_learner_cards as
  select distinct on (c.learner_id) c.learner_id, c.serial, c.issued_at, c.expires_at, c.card_text
    from learner_cards c
   where not exists (select 1 from card_revocations r where r.serial = c.serial)
     and not exists (select 1 from issuer_keys k where k.id = c.issuer_key_id and k.status = 'retired')
   order by c.learner_id, c.issued_at desc, c.serial desc;

-- Down Migration

create or replace view latest_learner_cards as
  select distinct on (c.learner_id) c.learner_id, c.serial, c.issued_at, c.expires_at, c.card_text
    from learner_cards c
   where not exists (select 1 from card_revocations r where r.serial = c.serial)
   order by c.learner_id, c.issued_at desc, c.serial desc;
