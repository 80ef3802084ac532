-- Up Migration
-- What a fine-tuning job reported: trained tokens and its event log, kept with the model's lineage.
ALTER TABLE models ADD COLUMN trained_tokens integer;
ALTER TABLE models ADD COLUMN job_events jsonb;

-- Down Migration
ALTER TABLE models DROP COLUMN job_events;
ALTER TABLE models DROP COLUMN trained_tokens;
