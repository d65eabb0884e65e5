-- Users administration and review assignments (issue 3): reviewers see the records assigned to
-- them (a project, a plan, a plan's progress report …), besides published data. Administrators
-- and bureau officers assign and unassign; every change is on the audit log.

CREATE TABLE review_assignments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reviewer_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The record's kind as the access policy names it (projects, organizations, plans,
  -- plan_reports …); the list of assignable kinds lives in src/modules/auth/assignments.service.ts.
  kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,39}$'),
  target_id   bigint NOT NULL,
  note        text CHECK (char_length(note) <= 1000),
  assigned_by text NOT NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reviewer_id, kind, target_id)
);
-- Who reviews a record (the unique index above serves "what is assigned to this reviewer").
CREATE INDEX review_assignments_target ON review_assignments (kind, target_id);
