-- Every committed change to the data tells the listening servers (channel innolink_changes),
-- so answers they keep (list counts, pages, sessions) are recomputed after it. One statement
-- trigger per table; identical notifications within a transaction are delivered once, so a
-- whole import costs one. Log tables (audit, log-in throttling, shown matches) are left out.
CREATE OR REPLACE FUNCTION innolink_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('innolink_changes', '');
  RETURN NULL;
END $$;

-- Adds the trigger to every table that lacks it; run after each start's migrations, so tables
-- added later are watched too. Returns how many tables it added it to.
CREATE OR REPLACE FUNCTION innolink_watch_tables() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t record;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.relname
      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p')
       AND c.relname NOT IN ('schema_migrations', 'audit_log', 'audit_head', 'login_throttle', 'market_matches_shown')
       AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'innolink_changes')
  LOOP
    EXECUTE format('CREATE TRIGGER innolink_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION innolink_notify_change()', t.relname);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;

SELECT innolink_watch_tables();
