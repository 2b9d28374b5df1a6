-- Up Migration

-- Every push asked pg_locks whether it held the sync write lock (twice: is it exclusive, is it
-- held at all). pg_locks copies the whole lock table under all of its partition locks, and with
-- thirty pushes in flight, each holding a hundred learner locks, that was thousands of rows per
-- push while every other backend waited to take or drop a lock. The lock is now taken by a
-- function that also notes it in a transaction-local setting, and the checks read that setting;
-- a transaction that took the advisory lock some other way is still recognised through pg_locks.
-- A push's learner and site locks are also taken in one statement each, not one per learner,
-- and learner_pull_sites becomes plpgsql: PostgreSQL plans a SQL function that it cannot inline
-- anew at every call (about 8 ms for this four-way union), a plpgsql one once per connection.

create function take_sync_write_lock() returns void language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock(7310);
  perform set_config('yx.sync_scope', 'global', true);
end $$;

create function take_sync_write_lock_shared() returns void language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock_shared(7310);
  perform set_config('yx.sync_write_lock', 'shared', true);
end $$;

create or replace function learner_pull_sites(p_learners text[]) returns setof text language plpgsql stable as $$
begin
  return query
    select site_id from learner_sites where learner_id = any(p_learners)
    union select site_id from lesson_progress where learner_id = any(p_learners)
    union select s.site from learners l, unnest(array[l.home_site_id, l.left_site_id]) as s(site)
           where l.id = any(p_learners) and s.site is not null;
end $$;

create or replace function sync_write_lock_exclusive() returns boolean language plpgsql volatile as $$
begin
  if coalesce(current_setting('yx.sync_scope', true), '') = 'global' then return true; end if;
  if coalesce(current_setting('yx.sync_write_lock', true), '') = 'shared' then return false; end if;
  if exists (select 1 from pg_locks
              where locktype = 'advisory' and pid = pg_backend_pid() and granted and mode = 'ExclusiveLock'
                and classid = 0 and objid = 7310 and objsubid = 1) then
    perform set_config('yx.sync_scope', 'global', true);
    return true;
  end if;
  return false;
end $$;

create or replace function lock_sync_scope(p_sites text[], p_learners text[]) returns void language plpgsql volatile as $$
declare
  sites text[];
begin
  if sync_write_lock_exclusive() then return; end if;
  if coalesce(current_setting('yx.sync_scope', true), '') <> '' then
    raise exception 'lock_sync_scope called twice in one transaction: take every lock of a push at once';
  end if;
  if coalesce(current_setting('yx.sync_write_lock', true), '') <> 'shared'
     and not exists (select 1 from pg_locks
                      where locktype = 'advisory' and pid = pg_backend_pid() and granted
                        and classid = 0 and objid = 7310 and objsubid = 1) then
    raise exception 'lock_sync_scope called without the sync write lock: write inside withScopedSyncWrite';
  end if;
  -- In key order, so two pushes never wait on each other in a circle.
  perform pg_advisory_xact_lock(7312, key)
     from (select distinct sync_learner_lock_key(l) as key from unnest(p_learners) as l order by 1) as keys;
  -- Read only now: with these learners locked, no other push can place them at a new site.
  select array_agg(distinct s) into sites from (select unnest(p_sites) union select learner_pull_sites(p_learners)) as t(s);
  perform pg_advisory_xact_lock(7311, key)
     from (select distinct sync_site_lock_key(s) as key from unnest(sites) as s order by 1) as keys;
  perform set_config('yx.sync_scope', 'sites', true);
  perform set_config('yx.sync_sites', ',' || array_to_string(sites, ',') || ',', true);
  perform set_config('yx.sync_learners', ',' || array_to_string(p_learners, ',') || ',', true);
end $$;

-- Down Migration

create or replace function lock_sync_scope(p_sites text[], p_learners text[]) returns void language plpgsql volatile as $$
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
  select array_agg(distinct s) into sites from (select unnest(p_sites) union select learner_pull_sites(p_learners)) as t(s);
  for key in select distinct sync_site_lock_key(s) from unnest(sites) as s order by 1 loop
    perform pg_advisory_xact_lock(7311, key);
  end loop;
  perform set_config('yx.sync_scope', 'sites', true);
  perform set_config('yx.sync_sites', ',' || array_to_string(sites, ',') || ',', true);
  perform set_config('yx.sync_learners', ',' || array_to_string(p_learners, ',') || ',', true);
end $$;
create or replace function sync_write_lock_exclusive() returns boolean language plpgsql volatile as $$
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
create or replace function learner_pull_sites(p_learners text[]) returns setof text language sql stable as $$
  select site_id from learner_sites where learner_id = any(p_learners)
  union select site_id from lesson_progress where learner_id = any(p_learners)
  union select home_site_id from learners where id = any(p_learners) and home_site_id is not null
  union select left_site_id from learners where id = any(p_learners) and left_site_id is not null
$$;
drop function take_sync_write_lock_shared();
drop function take_sync_write_lock();
