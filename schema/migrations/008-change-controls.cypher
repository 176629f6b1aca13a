// Standard-change models, maintenance windows and the records' timelines (RecordEvent, Approval) are addressed by id.
CREATE CONSTRAINT standard_change_model_id_unique IF NOT EXISTS FOR (m:StandardChangeModel) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT standard_change_model_name_unique IF NOT EXISTS FOR (m:StandardChangeModel) REQUIRE m.name IS UNIQUE;
CREATE CONSTRAINT maintenance_window_id_unique IF NOT EXISTS FOR (w:MaintenanceWindow) REQUIRE w.id IS UNIQUE;
CREATE INDEX problem_status IF NOT EXISTS FOR (p:Problem) ON (p.status);
