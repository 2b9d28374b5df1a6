-- Up Migration

-- The room a class session uses at its site ('' when the site has one room), so the console can
-- refuse two sessions in one room at once; and the weekly series a session was created in.
alter table class_sessions add column room text not null default '';
alter table class_sessions add column series_id uuid;
create index class_sessions_site_room_time on class_sessions (site_id, room, starts_at);

-- Down Migration
drop index class_sessions_site_room_time;
alter table class_sessions drop column series_id;
alter table class_sessions drop column room;
