-- A later schema version that only tests know: a database migrated by this build is "older" to it.
CREATE TABLE later_schema_marker (id integer PRIMARY KEY);
