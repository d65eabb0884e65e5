-- Action-plan supervision (督办, issue 6): milestones of tasks, the district a task is carried
-- out in (region → district roll-up), the users who act for a plan's responsible units, the
-- supervision cases the supervision run opens, escalates and resolves, and the in-app
-- notifications (with optional e-mail) it sends. Statuses stay computed on read
-- (src/modules/plans/engine); a case records only when an item was flagged, escalated and
-- resolved, so that each of these is notified once.

-- Milestones (节点) of a task, each with its own deadline.
CREATE TABLE plan_milestones (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id    bigint NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
  title      text NOT NULL CHECK (btrim(title) <> ''),
  due_date   date NOT NULL,
  -- The day it was done; null while open.
  done_on    date,
  note       text,
  position   integer NOT NULL DEFAULT 0,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_id, title)
);
CREATE INDEX plan_milestones_task ON plan_milestones (task_id, due_date);

-- The district (区) a task is carried out in, when set by hand; otherwise it is read from the
-- names of its responsible units (海淀区人民政府 → 海淀区).
ALTER TABLE plan_tasks ADD COLUMN region_id bigint REFERENCES admin_regions (id);

-- Users acting for a responsible unit (or for the plan owner) of one plan: the recipients of
-- the plan's notifications. unit_key is the unit name as tasks compare it (NFKC, no spaces).
CREATE TABLE plan_unit_members (
  plan_id    bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  unit_key   text NOT NULL,
  unit       text NOT NULL,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, unit_key, user_id)
);
CREATE INDEX plan_unit_members_user ON plan_unit_members (user_id);

-- A supervision case: a task or target that the supervision run found overdue or off track.
-- level 1 flagged (标记督办), 2 escalated (升级督办); resolved_on is set when the item no longer
-- needs supervision. Dates are the as-of dates of the engine's judgement, never wall-clock.
CREATE TABLE plan_supervision_cases (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id      bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  item_kind    text NOT NULL CHECK (item_kind IN ('task', 'target')),
  task_id      bigint REFERENCES plan_tasks (id) ON DELETE CASCADE,
  target_id    bigint REFERENCES plan_targets (id) ON DELETE CASCADE,
  level        smallint NOT NULL CHECK (level IN (1, 2)),
  -- Start of the oldest issue; the delays count from it.
  since        date NOT NULL,
  flagged_on   date NOT NULL,
  escalated_on date,
  resolved_on  date,
  last_seen_on date NOT NULL,
  -- Trigger kinds at the last run (overdue, milestone_overdue, off_track, blocked, deterioration …).
  triggers     text[] NOT NULL DEFAULT '{}',
  units        text[] NOT NULL DEFAULT '{}',
  detail       text,
  detail_en    text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((item_kind = 'task') = (task_id IS NOT NULL)),
  CHECK ((item_kind = 'target') = (target_id IS NOT NULL)),
  CHECK (resolved_on IS NULL OR resolved_on >= since)
);
-- At most one open case per item: the run is idempotent even when two runs race.
CREATE UNIQUE INDEX plan_supervision_cases_open ON plan_supervision_cases (plan_id, item_kind, coalesce(task_id, target_id))
  WHERE resolved_on IS NULL;
CREATE INDEX plan_supervision_cases_plan ON plan_supervision_cases (plan_id, resolved_on);

-- Each supervision run of a plan: cases only move forward in time (a run as of an earlier date
-- than the last one is refused).
CREATE TABLE plan_supervision_runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  as_of         date NOT NULL,
  actor         text NOT NULL,
  opened        integer NOT NULL DEFAULT 0,
  escalated     integer NOT NULL DEFAULT 0,
  resolved      integer NOT NULL DEFAULT 0,
  notifications integer NOT NULL DEFAULT 0,
  ran_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_supervision_runs_plan ON plan_supervision_runs (plan_id, as_of DESC);

-- In-app notifications, one row per recipient. dedupe_key names the event (e.g.
-- 'supervision:12:escalated'): the same event never reaches a user twice.
CREATE TABLE notifications (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         text NOT NULL,
  title        text NOT NULL,
  title_en     text NOT NULL,
  body         text NOT NULL,
  body_en      text NOT NULL,
  -- Where the web application shows the item (e.g. /plans/3/supervision).
  link         text,
  entity       text,
  entity_id    text,
  dedupe_key   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  read_at      timestamptz,
  -- 'none': no e-mail (no mail server, or no address); 'pending' until sent or failed.
  email_status text NOT NULL DEFAULT 'none' CHECK (email_status IN ('none', 'pending', 'sent', 'failed')),
  emailed_at   timestamptz,
  email_error  text,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_email_pending ON notifications (id) WHERE email_status = 'pending';

-- Per-user notification settings: the e-mail address notifications are also sent to.
CREATE TABLE notification_settings (
  user_id       bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  email         text CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  email_enabled boolean NOT NULL DEFAULT true,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
