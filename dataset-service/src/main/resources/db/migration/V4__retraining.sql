-- The retraining loop (docs/retraining.md). Portable between H2 (embedded) and PostgreSQL.

-- Every TrainingRequested seen on training.requests, by job id: how a drifting model version (= its job id) leads
-- back to the dataset version it was trained on and the settings to train its successor with.
CREATE TABLE training_request (
    job_id               VARCHAR(128)             NOT NULL PRIMARY KEY,
    event_id             VARCHAR(255)             NOT NULL,
    base_model           VARCHAR(1024)            NOT NULL,
    dataset_name         VARCHAR(256)             NOT NULL,
    dataset_version      VARCHAR(256)             NOT NULL,
    method               VARCHAR(16)              NOT NULL,
    hyperparameters_json TEXT                     NOT NULL,
    merge_model          BOOLEAN                  NOT NULL,
    route                VARCHAR(128),
    recorded_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per DriftDetected taken (or skipped), with its audit trail.
CREATE TABLE retraining (
    id                      VARCHAR(36)              NOT NULL PRIMARY KEY,
    route                   VARCHAR(128),
    -- the route while the retraining is in flight, null otherwise: the unique key lets one in flight per route,
    -- whichever replica or thread decides (NULLs do not collide)
    in_flight_route         VARCHAR(128),
    status                  VARCHAR(32)              NOT NULL,
    trigger_event_id        VARCHAR(255)             NOT NULL,
    trigger_feature         TEXT                     NOT NULL,
    trigger_statistic       TEXT                     NOT NULL,
    trigger_value           DOUBLE PRECISION         NOT NULL,
    trigger_threshold       DOUBLE PRECISION         NOT NULL,
    drifting_version        TEXT                     NOT NULL,
    source_request_event_id VARCHAR(255),
    parent_dataset          VARCHAR(256),
    parent_version          VARCHAR(256),
    child_version           VARCHAR(64),
    job_id                  VARCHAR(128),
    requested_event_id      VARCHAR(255),
    outcome_event_id        VARCHAR(255),
    traceparent             VARCHAR(55),
    notes_json              TEXT                     NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_retraining_trigger UNIQUE (trigger_event_id),
    CONSTRAINT uq_retraining_in_flight UNIQUE (in_flight_route),
    CONSTRAINT uq_retraining_job UNIQUE (job_id)
);

CREATE INDEX ix_retraining_route ON retraining (route, requested_at);
CREATE INDEX ix_retraining_created ON retraining (created_at);
