-- Access and audit (issue 3): users with a role and a data scope (an administrative region, an
-- organisation), log-in sessions, the log-in throttle, and the append-only, hash-chained
-- audit log.

CREATE TABLE users (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username            text NOT NULL CHECK (char_length(username) BETWEEN 2 AND 64 AND username !~ '\s'),
  display_name        text,
  role                text NOT NULL
                      CHECK (role IN ('admin', 'bureau', 'district', 'evaluator', 'organization', 'reviewer', 'public')),
  -- The subtree of this region is the user's data scope (bureau, district).
  region_id           bigint REFERENCES admin_regions (id),
  -- The organisation whose records an organisation user works on.
  org_id              bigint REFERENCES organizations (id),
  -- argon2id, PHC string format; never a default: every password is set by a person.
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  disabled_at         timestamptz,
  last_login_at       timestamptz,
  created_by          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'district' OR region_id IS NOT NULL),
  CHECK (role <> 'organization' OR org_id IS NOT NULL)
);
-- User names are unique regardless of case: Admin and admin are one account.
CREATE UNIQUE INDEX users_username ON users (lower(username));

-- A session is known by the SHA-256 of its cookie token only: a copy of this table logs nobody in.
CREATE TABLE sessions (
  token_hash  char(64) PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  ip          text,
  user_agent  text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed log-ins counted per key ('user:<name>' and 'ip:<address>'), known names or not, so
-- that a lock-out says nothing about which names exist.
CREATE TABLE login_throttle (
  key          text PRIMARY KEY,
  failures     integer NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- The audit log: one row per write, each hashing the one before it:
--   hash = sha256(prev_hash || canonical JSON of the entry)  (see src/modules/audit/audit.chain.ts)
-- so that an edited or deleted entry breaks the chain (`innolink audit verify`).
CREATE TABLE audit_log (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL,
  actor         text NOT NULL,
  actor_user_id bigint,
  action        text NOT NULL,
  entity        text NOT NULL,
  entity_id     text,
  before        jsonb,
  after         jsonb,
  request_id    text,
  prev_hash     char(64) NOT NULL,
  hash          char(64) NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor);

-- The newest entry, locked by each writer (SELECT … FOR UPDATE) so that appends are serialised
-- and the chain has no forks; it also shows a deleted last entry.
CREATE TABLE audit_head (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL,
  hash char(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Append-only: the application never changes or removes an entry, and the database refuses it.
-- The owner of the table can still disable the trigger; the hash chain is what detects that.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'P0001', HINT = 'AUDIT_APPEND_ONLY';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
