-- The experiment record of each job that started: what ran (resolved config, base model checksum), where its
-- results are, how long it took and how it went. Dataset and status stay in training_job (same id); deleting a job
-- deletes its record.
CREATE TABLE experiment_record (
    job_id                   VARCHAR(128)     NOT NULL PRIMARY KEY REFERENCES training_job (id) ON DELETE CASCADE,
    config_json              TEXT             NOT NULL,
    base_model_sha256        VARCHAR(64)      NOT NULL,
    metrics_path             VARCHAR(1024)    NOT NULL,
    adapter_path             VARCHAR(1024),
    best_path                VARCHAR(1024),
    queued_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at              TIMESTAMP WITH TIME ZONE,
    training_seconds         DOUBLE PRECISION NOT NULL,
    measured_steps           BIGINT           NOT NULL,
    tokens_per_second_mean   DOUBLE PRECISION,
    latest_step              BIGINT,
    latest_train_loss        DOUBLE PRECISION,
    latest_validation_loss   DOUBLE PRECISION,
    latest_learning_rate     DOUBLE PRECISION,
    latest_tokens_per_second DOUBLE PRECISION,
    steps                    BIGINT,
    initial_validation_loss  DOUBLE PRECISION,
    best_validation_loss     DOUBLE PRECISION,
    best_step                BIGINT,
    last_train_loss          DOUBLE PRECISION
);

-- GET /jobs?dataset=...&version=... compares the runs of one dataset.
CREATE INDEX training_job_dataset ON training_job (dataset_name, dataset_version);
