// One Sighting per (source, CI) and per (source, relationship): the last run of that source to report it and
// whether that source still does, in the scope (a cluster, a host) of the run that last reported it. Completing a run seeks its source's fresh sightings from runs before it
// (source, scope and stale equal, lastRun a range), so it reads what the run missed, never every CI.
CREATE CONSTRAINT sighting_sid_unique IF NOT EXISTS FOR (s:Sighting) REQUIRE s.sid IS UNIQUE;
CREATE INDEX sighting_unseen IF NOT EXISTS FOR (s:Sighting) ON (s.source, s.scope, s.stale, s.lastRun);
CREATE INDEX sighting_key IF NOT EXISTS FOR (s:Sighting) ON (s.key);
