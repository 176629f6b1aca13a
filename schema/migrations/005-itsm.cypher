// Incidents, problems, change requests and freeze windows are addressed by id and numbered by counters.
CREATE CONSTRAINT incident_id_unique IF NOT EXISTS FOR (i:Incident) REQUIRE i.id IS UNIQUE;
CREATE CONSTRAINT incident_number_unique IF NOT EXISTS FOR (i:Incident) REQUIRE i.number IS UNIQUE;
CREATE CONSTRAINT problem_id_unique IF NOT EXISTS FOR (p:Problem) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT change_id_unique IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT change_number_unique IF NOT EXISTS FOR (c:Change) REQUIRE c.number IS UNIQUE;
CREATE CONSTRAINT freeze_window_id_unique IF NOT EXISTS FOR (f:FreezeWindow) REQUIRE f.id IS UNIQUE;
CREATE CONSTRAINT counter_name_unique IF NOT EXISTS FOR (c:Counter) REQUIRE c.name IS UNIQUE;
CREATE INDEX incident_status IF NOT EXISTS FOR (i:Incident) ON (i.status);
CREATE INDEX change_status IF NOT EXISTS FOR (c:Change) ON (c.status);
CREATE INDEX change_planned_start IF NOT EXISTS FOR (c:Change) ON (c.plannedStart);
