-- Up Migration

-- Writes in parallel (docs/check-in-and-sync.md, "Write sequence"). sync_seq stays one global
-- sequence, so every checkpoint a kiosk already holds keeps its meaning and nothing is re-pulled.
-- What changes is the lock: instead of one exclusive lock for every write, a push takes
--   * the sync write lock (advisory key 7310, as before) in SHARED mode, so pushes run side by
--     side while an operator's write (exclusive, withSyncWrite) still excludes them all;
--   * the lock of every learner it credits (key pair 7312, hashtext(learner)), so two pushes
--     crediting one learner run one after the other and the credit rule sees them in sequence order;
--   * the lock of every site whose kiosks can pull a row it writes (key pair 7311, hashtext(site)):
--     its own site, plus every site those learners are placed at, have progress at, or live at.
-- Locks are taken in that order (global, learners by key, sites by key), always all at once,
-- so two pushes never wait on each other in a circle. A row pulled by a site's kiosks is written
-- only while that site's lock is held, and held until commit: within what one kiosk can pull,
-- sequence numbers grow in commit order, which is all a pull checkpoint needs. Two hashes that
-- collide share a lock: more waiting, never a skipped row.

create function sync_site_lock_key(p_site text) returns integer language sql immutable as $$ select hashtext(p_site) $$;
create function sync_learner_lock_key(p_learner text) returns integer language sql immutable as $$ select hashtext(p_learner) $$;

-- The sites whose kiosks can pull a row about these learners (ledger, progress, the learner).
create function learner_pull_sites(p_learners text[]) returns setof text language sql stable as $$
  select site_id from learner_sites where learner_id = any(p_learners)
  union select site_id from lesson_progress where learner_id = any(p_learners)
  union select home_site_id from learners where id = any(p_learners) and home_site_id is not null
  union select left_site_id from learners where id = any(p_learners) and left_site_id is not null
$$;

-- True when this transaction holds the sync write lock exclusively (withSyncWrite); remembered
-- for the rest of the transaction, since an xact lock cannot be released early.
create function sync_write_lock_exclusive() returns boolean language plpgsql volatile as $$
begin
  if coalesce(current_setting('yx.sync_scope', true), '') = 'global' then return true; end if;
  if exists (select 1 from pg_locks
              where locktype = 'advisory' and pid = pg_backend_pid() and granted and mode = 'ExclusiveLock'
                and classid = 0 and objid = 7310 and objsubid = 1) then
    perform set_config('yx.sync_scope', 'global', true);
    return true;
  end if;
  return false;
end $$;

-- Takes the locks of one push (see above), once, before it writes anything. Under the exclusive
-- lock it has nothing to do: that lock already covers every site.
create function lock_sync_scope(p_sites text[], p_learners text[]) returns void language plpgsql volatile as $$
declare
  key integer;
  sites text[];
begin
  if sync_write_lock_exclusive() then return; end if;
  if coalesce(current_setting('yx.sync_scope', true), '') <> '' then
    raise exception 'lock_sync_scope called twice in one transaction: take every lock of a push at once';
  end if;
  if not exists (select 1 from pg_locks
                  where locktype = 'advisory' and pid = pg_backend_pid() and granted
                    and classid = 0 and objid = 7310 and objsubid = 1) then
    raise exception 'lock_sync_scope called without the sync write lock: write inside withScopedSyncWrite';
  end if;
  for key in select distinct sync_learner_lock_key(l) from unnest(p_learners) as l order by 1 loop
    perform pg_advisory_xact_lock(7312, key);
  end loop;
  -- Read only now: with these learners locked, no other push can place them at a new site.
  select array_agg(distinct s) into sites from (select unnest(p_sites) union select learner_pull_sites(p_learners)) as t(s);
  for key in select distinct sync_site_lock_key(s) from unnest(sites) as s order by 1 loop
    perform pg_advisory_xact_lock(7311, key);
  end loop;
  perform set_config('yx.sync_scope', 'sites', true);
  perform set_config('yx.sync_sites', ',' || array_to_string(sites, ',') || ',', true);
  perform set_config('yx.sync_learners', ',' || array_to_string(p_learners, ',') || ',', true);
end $$;

-- The number for a row only one site's kiosks pull (attendance, class sessions).
create function next_sync_seq(p_site text) returns bigint language plpgsql volatile as $$
begin
  if coalesce(current_setting('yx.sync_scope', true), '') = 'sites' then
    if position(',' || p_site || ',' in current_setting('yx.sync_sites', true)) = 0 then
      raise exception 'next_sync_seq(%) called without that site''s sync write lock', p_site;
    end if;
  elsif not sync_write_lock_exclusive() then
    raise exception 'next_sync_seq(%) called without the sync write lock: write inside withScopedSyncWrite after lock_sync_scope', p_site;
  end if;
  return nextval('sync_seq');
end $$;

-- The number for a row about a learner (ledger entries, lesson progress): every site that pulls
-- it was locked by lock_sync_scope for this learner.
create function next_learner_sync_seq(p_learner text) returns bigint language plpgsql volatile as $$
begin
  if coalesce(current_setting('yx.sync_scope', true), '') = 'sites' then
    if position(',' || p_learner || ',' in current_setting('yx.sync_learners', true)) = 0 then
      raise exception 'next_learner_sync_seq(%) called without that learner''s sync write lock', p_learner;
    end if;
  elsif not sync_write_lock_exclusive() then
    raise exception 'next_learner_sync_seq(%) called without the sync write lock: write inside withScopedSyncWrite after lock_sync_scope', p_learner;
  end if;
  return nextval('sync_seq');
end $$;

-- Rows every kiosk pulls (courses, issuer keys, revocations, learners) and operators' writes
-- still need the exclusive lock. Same name and message as before, so callers are unchanged.
create or replace function next_sync_seq() returns bigint language plpgsql volatile as $$
begin
  if not sync_write_lock_exclusive() then
    raise exception 'next_sync_seq() called without the sync write lock: write inside withSyncWrite';
  end if;
  return nextval('sync_seq');
end $$;

-- Placing a learner re-stamps their ledger and progress: rows about that learner.
create or replace function place_learner_at_site(p_learner text, p_site text) returns void language plpgsql as $$
declare
  added integer;
begin
  insert into learner_sites (learner_id, site_id) values (p_learner, p_site) on conflict do nothing;
  get diagnostics added = row_count;
  if added > 0 then
    update credit_ledger set server_seq = next_learner_sync_seq(p_learner) where learner_id = p_learner;
    update lesson_progress set server_seq = next_learner_sync_seq(p_learner) where learner_id = p_learner;
  end if;
end $$;

-- Down Migration

create or replace function place_learner_at_site(p_learner text, p_site text) returns void language plpgsql as $$
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
create or replace function next_sync_seq() returns bigint language plpgsql volatile as $$
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
drop function next_learner_sync_seq(text);
drop function next_sync_seq(text);
drop function lock_sync_scope(text[], text[]);
drop function sync_write_lock_exclusive();
drop function learner_pull_sites(text[]);
drop function sync_learner_lock_key(text);
drop function sync_site_lock_key(text);
