-- Audit (issue 21, finding 3): a keyed chain anchored outside the store, and an auditor role.
--
-- Entries from here on are chained with HMAC-SHA256 under a key kept outside the database
-- (INNOLINK_AUDIT_KEY_FILE), so that nobody with only database rights can recompute the chain.
-- Entries written before the key existed are not rewritten (the log is append-only): the first
-- keyed entry (action 'audit.key_epoch') follows the last of them and commits to its hash, and
-- verification checks them by the old unkeyed rule up to that entry.
--
-- The head records which key the chain is under, so that a writer with another key refuses
-- instead of appending entries that will never verify. Nothing here is trusted by verification:
-- it reads the chain itself and the checkpoints outside the store.
ALTER TABLE audit_head ADD COLUMN key_id text;
ALTER TABLE audit_head ADD COLUMN epoch_seq bigint;

-- 审计员 (等保 三员分立): reads the audit log and verifies it; the administrator no longer does.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'bureau', 'district', 'evaluator', 'organization', 'reviewer', 'public', 'auditor'));
