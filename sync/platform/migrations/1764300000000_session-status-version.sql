-- Up Migration

-- A kiosk changes only a session's open/closed state, and each change carries a version one above
-- the one it saw; the platform takes a status only with a higher version (docs/check-in-and-sync.md).
alter table class_sessions add column status_version integer not null default 0;

-- The check-in window is a rule (data), stamped on each session when it is written, so changing
-- the rule later does not move the windows of sessions already planned or held.
insert into credit_rules (name, value, description) values
  ('check_in_opens_minutes', 30, 'minutes before a class session starts that check-in opens; it closes when the session ends');
alter table class_sessions add column check_in_opens_at timestamptz;
update class_sessions set check_in_opens_at = starts_at - interval '30 minutes';

create function stamp_check_in_window() returns trigger language plpgsql as $$
begin
  if new.check_in_opens_at is null or tg_op = 'UPDATE' and new.starts_at is distinct from old.starts_at then
    new.check_in_opens_at := new.starts_at - make_interval(mins => (select value::integer from credit_rules where name = 'check_in_opens_minutes'));
  end if;
  return new;
end $$;
create trigger class_sessions_check_in_window before insert or update on class_sessions
  for each row execute function stamp_check_in_window();
alter table class_sessions alter column check_in_opens_at set not null;

-- Down Migration

alter table class_sessions alter column check_in_opens_at drop not null;
drop trigger class_sessions_check_in_window on class_sessions;
drop function stamp_check_in_window();
alter table class_sessions drop column check_in_opens_at;
delete from credit_rules where name = 'check_in_opens_minutes';
alter table class_sessions drop column status_version;
