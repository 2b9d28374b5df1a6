-- Up Migration

-- A class a kiosk made offline (docs/check-in-and-sync.md, "Kiosk-proposed sessions"): stored as
-- proposed, naming the kiosk that proposed it; check-ins into it are held for review
-- ('session-not-approved') until an operator approves the session. Sessions the platform plans
-- itself have no proposer and approval 'approved'.
alter table class_sessions add column proposed_by text references kiosks(id);
alter table class_sessions add column approval text not null default 'approved' check (approval in ('proposed', 'approved', 'refused'));
alter table class_sessions add column approval_decided_at timestamptz;
alter table class_sessions add constraint class_sessions_proposal_named check (approval = 'approved' or proposed_by is not null);
create index class_sessions_proposed on class_sessions (site_id) where approval = 'proposed';

-- A check-in staff made after the class (a late check-in) carries the reason they picked; it is
-- held for review with 'late-check-in'.
alter table attendance add column late_reason text;

-- Down Migration

alter table attendance drop column late_reason;
drop index class_sessions_proposed;
alter table class_sessions drop constraint class_sessions_proposal_named;
alter table class_sessions drop column approval_decided_at;
alter table class_sessions drop column approval;
alter table class_sessions drop column proposed_by;
