-- Development stack only (FerretDB 1.24 on PostgreSQL); production runs MongoDB with the same
-- declared indexes. Installed by scripts/stack.mjs into the PostgreSQL database FerretDB uses:
--   psql -h 127.0.0.1 -U postgres -d <database> -f scripts/ferretdb-gin.sql
--
-- FerretDB 1.24 creates each declared index as a btree on `(_jsonb -> 'field')`, but pushes every
-- equality filter down as `_jsonb -> 'field' @> value`, which no btree serves: every find, even by
-- `_id`, scans its whole collection (a GridFS read scanned every stored chunk, so a month's backfill
-- slowed down as it filled). A GIN index on the same expression serves `@>`. This mirrors each
-- FerretDB index, field by field, as such a GIN index when FerretDB creates it (an event trigger),
-- and once for the indexes already there. FerretDB never sees these indexes (its own metadata lists
-- its indexes); dropping a collection drops its table and them with it. No data is changed.

SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION posflow_ferretdb_gin_mirror(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  def text := pg_get_indexdef(index_oid);
  tbl oid;
  tbl_name text;
  field text;
BEGIN
  IF def LIKE '% USING gin %' OR def NOT LIKE '%(_jsonb -> %' THEN
    RETURN;
  END IF;
  SELECT indrelid INTO tbl FROM pg_index WHERE indexrelid = index_oid;
  SELECT relname INTO tbl_name FROM pg_class WHERE oid = tbl;
  FOR field IN SELECT (regexp_matches(def, '\(_jsonb -> ''([^'']+)''::text\)', 'g'))[1] LOOP
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)',
      left(tbl_name, 40) || '_' || left(md5(field), 8) || '_gin',
      tbl::regclass,
      field
    );
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION posflow_ferretdb_gin_on_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM posflow_ferretdb_gin_mirror(cmd.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS posflow_ferretdb_gin;
CREATE EVENT TRIGGER posflow_ferretdb_gin ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION posflow_ferretdb_gin_on_ddl();

-- The indexes FerretDB created before this was installed.
DO $$
DECLARE
  idx oid;
BEGIN
  FOR idx IN
    SELECT i.indexrelid FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  LOOP
    PERFORM posflow_ferretdb_gin_mirror(idx);
  END LOOP;
END $$;

-- FerretDB sends the field name as a parameter (`_jsonb -> $1 @> $2`): only a plan made for the
-- actual values matches the index expression, so never switch to a generic plan.
DO $$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END $$;
