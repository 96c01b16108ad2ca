-- execlog's PostgreSQL store, schema version 1 (server/src/main/java/dev/execlog/server/postgres/).
-- Applied only by `execlog-server migrate`; a server refuses a schema older or newer than it knows.
-- Design and measurements: shared design note "postgres-store.md", sections 3-5.
--
-- Conventions:
-- * Times are microseconds since the epoch (bigint), as in the domain model; the smallest bigint
--   marks a loaded run whose timestamp could not be read.
-- * Values execlog does not interpret (extra keys of a run, of a file entry, of the log) are kept as
--   the JSON text the server wrote, in `text` columns named *_json: PostgreSQL's json type refuses
--   NaN, which the log file allows, and jsonb reorders keys and respells numbers, which would change
--   an exported log. NULL means none.
-- * Ids and paths are COLLATE "C": compared by code point whatever the database's locale, so task
--   pages come in the same order on every server (and as the JSON store's, but for letters beyond
--   U+FFFF against U+E000..U+FFFF, which Java orders by UTF-16 unit), and the indexes stay cheap.
-- * Order of recording is `runs.seq` (identity): it breaks ties between equal times and gives the
--   file order of an export; it never changes for a run, so page tokens survive restarts.

-- One row: the log file's top-level keys and the deployment's identity.
CREATE TABLE log_meta (
  id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  created_text text NOT NULL,              -- file key `timestamp`, as written
  version      text NOT NULL,              -- file key `version`
  extra_json   text,                       -- top-level keys execlog does not know, as a JSON object
  project_root text NOT NULL               -- every server on this database must run with this --root
);

CREATE TABLE runs (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id           text COLLATE "C" NOT NULL,          -- task_run_id; unique, so a retried record is recognized
  task_id          text COLLATE "C" NOT NULL,
  task_type        text NOT NULL,
  record_us        bigint NOT NULL,
  success          boolean NOT NULL,
  duration_s       double precision NOT NULL,
  duration_integer boolean NOT NULL,       -- execution_time written as an integer (3, not 3.0)
  report_path      text NOT NULL,
  hostname         text NOT NULL,
  extra_json       text,                   -- the run's keys beyond the spec's, in file order
  raw_json         text,                   -- spec keys a loaded file holds in another form, as written
  CONSTRAINT runs_run_id_key UNIQUE (run_id)
);
CREATE INDEX runs_by_time    ON runs (record_us DESC, seq DESC);
CREATE INDEX runs_by_task    ON runs (task_id, record_us DESC, seq DESC);
CREATE INDEX runs_by_task_ok ON runs (task_id, record_us DESC, seq DESC) WHERE success;

-- Files a run read and wrote, in the order given. task_id and record_us are copies of the run's,
-- so path and task queries need no join; a change of the run's time changes them in the same
-- transaction. path is as written; path_key is the normalized key it is indexed under when that
-- differs (a loaded, non-normalized path), else NULL.
CREATE TABLE run_inputs (
  run_seq    bigint NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
  ord        integer NOT NULL,             -- integer, not smallint: --max-files-per-run goes to 1,000,000
  name       text NOT NULL,
  path       text COLLATE "C" NOT NULL,
  path_key   text COLLATE "C",
  extra_json text,
  task_id    text COLLATE "C" NOT NULL,
  record_us  bigint NOT NULL,
  PRIMARY KEY (run_seq, ord)
);
CREATE INDEX run_inputs_by_path ON run_inputs ((coalesce(path_key, path)), record_us DESC, run_seq DESC);
CREATE INDEX run_inputs_by_task ON run_inputs (task_id, path);

CREATE TABLE run_outputs (
  run_seq     bigint NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
  ord         integer NOT NULL,
  path        text COLLATE "C" NOT NULL,
  type        text NOT NULL,
  description text NOT NULL,
  path_key    text COLLATE "C",
  extra_json  text,
  task_id     text COLLATE "C" NOT NULL,
  record_us   bigint NOT NULL,
  PRIMARY KEY (run_seq, ord)
);
CREATE INDEX run_outputs_by_path ON run_outputs ((coalesce(path_key, path)), record_us DESC, run_seq DESC);
CREATE INDEX run_outputs_by_task ON run_outputs (task_id, path);

-- Counters only: a summary's newest run is read from runs_by_task. The one row writers share per
-- task, so every transaction updates these rows last, in task-id order (no deadlocks between
-- writes that touch several tasks). A task without runs has no row.
CREATE TABLE tasks (
  task_id    text COLLATE "C" PRIMARY KEY,
  run_count  bigint NOT NULL CHECK (run_count > 0),
  extra_json text                          -- keys of the file's tasks entry execlog does not know
);

-- Every committed change, for the change stream across servers (resume point: a pg_snapshot over
-- txid; change_id orders the changes of one poll). Pruned by age.
CREATE TABLE changes (
  change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind      "char" NOT NULL CHECK (kind IN ('R', 'U', 'D')),  -- recorded, updated, removed
  run_id    text COLLATE "C" NOT NULL,
  task_id   text COLLATE "C" NOT NULL,
  task_type text NOT NULL,
  success   boolean NOT NULL,
  run_json  text                           -- removed runs: the run as it was (the journal's JSON form)
);
CREATE INDEX changes_feed ON changes (txid, change_id);
