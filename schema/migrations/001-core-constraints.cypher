// Identity of every CI and team: Ripple mints ids; MERGE on them relies on these constraints.
CREATE CONSTRAINT ci_id_unique IF NOT EXISTS FOR (n:CI) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT team_id_unique IF NOT EXISTS FOR (t:Team) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT team_name_unique IF NOT EXISTS FOR (t:Team) REQUIRE t.name IS UNIQUE;
// Identification keys (class rule + attribute values) are nodes of their own so that a uniqueness constraint
// stops two concurrent discovery writers from creating the same CI twice.
CREATE CONSTRAINT ident_key_unique IF NOT EXISTS FOR (k:IdentKey) REQUIRE k.key IS UNIQUE;
CREATE CONSTRAINT source_name_unique IF NOT EXISTS FOR (s:Source) REQUIRE s.name IS UNIQUE;
CREATE CONSTRAINT discovery_run_id_unique IF NOT EXISTS FOR (r:DiscoveryRun) REQUIRE r.id IS UNIQUE;
