-- Up Migration
-- An experiment is a run (same spec, same tables) that rolls out once and trains one model per mixture.
-- `experiments` marks the run as one and names its mixtures; `experiment_mixtures` holds each mixture's
-- dataset, model, evaluation and its comparison with the base model.
CREATE TABLE experiments (
  run_id text PRIMARY KEY REFERENCES runs (id),
  mixtures text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE experiment_mixtures (
  run_id text NOT NULL REFERENCES experiments (run_id),
  mixture text NOT NULL CHECK (mixture IN ('A', 'B', 'C')),
  dataset_id text REFERENCES datasets (id),
  model_id text REFERENCES models (id),
  evaluation_id text REFERENCES evaluations (id),
  skipped_steps text[] NOT NULL DEFAULT '{}',
  comparison jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, mixture)
);

-- Down Migration
DROP TABLE experiment_mixtures, experiments;
