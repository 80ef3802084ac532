-- Up Migration
-- Each round's critique filter quality (precision / recall / F1 against the evaluator), for reports.
ALTER TABLE rounds ADD COLUMN filter_quality jsonb;

-- Down Migration
ALTER TABLE rounds DROP COLUMN filter_quality;
