-- Up Migration
-- Everything Ratchet knows. Ids are deterministic text (run/round/purpose/task/sample), so every
-- write can be an upsert and a retried activity never duplicates a row.

CREATE TABLE runs (
  id text PRIMARY KEY,
  spec jsonb NOT NULL,
  spec_hash text NOT NULL,
  git_revision text,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'aborted', 'failed')),
  champion_model_id text,
  stop_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE models (
  id text PRIMARY KEY,
  run_id text REFERENCES runs (id),
  provider text NOT NULL,
  provider_model text NOT NULL,
  endpoint jsonb NOT NULL,
  base_model_id text REFERENCES models (id),
  parent_model_id text REFERENCES models (id),
  dataset_id text,
  job_id text,
  round integer,
  status text NOT NULL CHECK (status IN ('base', 'training', 'ready', 'failed')),
  is_champion boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rounds (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs (id),
  number integer NOT NULL CHECK (number >= 1),
  parent_round_id text REFERENCES rounds (id),
  input_model_id text REFERENCES models (id),
  output_model_id text REFERENCES models (id),
  config_hash text NOT NULL,
  seed integer NOT NULL,
  git_revision text,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'aborted')),
  promotion jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  UNIQUE (run_id, number)
);

-- One row per step of a round (or of the run itself, round 0): its state as operators see it.
CREATE TABLE step_states (
  workflow_id text NOT NULL,
  step text NOT NULL,
  run_id text NOT NULL REFERENCES runs (id),
  round integer NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'waiting_for_operator', 'skipped', 'aborted')),
  attempts integer NOT NULL DEFAULT 0,
  error text,
  summary jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, step)
);

CREATE TABLE task_suites (
  id text PRIMARY KEY,
  name text NOT NULL,
  source text NOT NULL,
  splits jsonb,
  task_count integer NOT NULL,
  content_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasks (
  suite_id text NOT NULL REFERENCES task_suites (id),
  task_id integer NOT NULL,
  intent_template_id integer NOT NULL,
  capability_id text NOT NULL,
  split text NOT NULL CHECK (split IN ('train', 'eval', 'all')),
  sites text[] NOT NULL,
  writes boolean NOT NULL,
  config jsonb NOT NULL,
  PRIMARY KEY (suite_id, task_id)
);

CREATE TABLE evaluations (
  id text PRIMARY KEY,
  run_id text REFERENCES runs (id),
  round integer,
  model_id text NOT NULL REFERENCES models (id),
  suite_id text NOT NULL REFERENCES task_suites (id),
  split text NOT NULL,
  label text NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE episodes (
  id text PRIMARY KEY,
  run_id text REFERENCES runs (id),
  round integer,
  evaluation_id text REFERENCES evaluations (id),
  purpose text NOT NULL,
  suite_id text NOT NULL,
  task_id integer NOT NULL,
  model_id text NOT NULL REFERENCES models (id),
  sample integer NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  attempt integer NOT NULL DEFAULT 1,
  score real,
  answer text,
  final_response text,
  final_url text,
  length integer,
  invalid_action_count integer,
  early_stop_reason text,
  environment_error text,
  prompt_tokens integer,
  completion_tokens integer,
  trace_path text,
  evaluator_version text,
  evaluator_details jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  FOREIGN KEY (suite_id, task_id) REFERENCES tasks (suite_id, task_id)
);
CREATE INDEX episodes_run_round ON episodes (run_id, round, purpose);
CREATE INDEX episodes_evaluation ON episodes (evaluation_id);

CREATE TABLE steps (
  episode_id text NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  index integer NOT NULL,
  url text NOT NULL,
  observation text NOT NULL,
  objective text NOT NULL,
  previous_action text NOT NULL,
  prompt_messages jsonb NOT NULL,
  response text NOT NULL,
  action jsonb,
  action_text text,
  action_description text NOT NULL,
  valid boolean NOT NULL,
  invalid_kind text,
  error text,
  prompt_tokens integer NOT NULL,
  completion_tokens integer NOT NULL,
  timings jsonb NOT NULL,
  PRIMARY KEY (episode_id, index)
);

CREATE TABLE critiques (
  episode_id text PRIMARY KEY REFERENCES episodes (id) ON DELETE CASCADE,
  run_id text NOT NULL REFERENCES runs (id),
  round integer NOT NULL,
  kept boolean NOT NULL,
  failed_checks jsonb NOT NULL,
  judge jsonb
);

CREATE TABLE synthetic_examples (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs (id),
  round integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ood', 'grounded_ood')),
  messages jsonb NOT NULL,
  response text NOT NULL,
  provenance jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE datasets (
  id text PRIMARY KEY,
  run_id text REFERENCES runs (id),
  round integer,
  spec jsonb NOT NULL,
  content_hash text NOT NULL,
  counts jsonb NOT NULL,
  provider_files jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dataset_examples (
  dataset_id text NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  split text NOT NULL CHECK (split IN ('train', 'validation')),
  position integer NOT NULL,
  source text NOT NULL,
  example jsonb NOT NULL,
  PRIMARY KEY (dataset_id, split, position)
);

CREATE TABLE metric_values (
  evaluation_id text NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  name text NOT NULL,
  value double precision,
  detail jsonb,
  PRIMARY KEY (evaluation_id, name)
);

-- Down Migration
DROP TABLE metric_values, dataset_examples, datasets, synthetic_examples, critiques, steps, episodes,
  evaluations, tasks, task_suites, step_states, rounds, models, runs;
