-- One row per evaluation: what is compared (candidate and baseline), on what (a dataset version's validation
-- split), its lease while a replica runs it, and its outcome (metrics of both sides as JSON objects).
CREATE TABLE evaluation (
    id                VARCHAR(128)  NOT NULL PRIMARY KEY,
    status            VARCHAR(16)   NOT NULL,
    model_version     VARCHAR(128),
    candidate_base    VARCHAR(128),
    candidate_adapter VARCHAR(1024),
    candidate_model   VARCHAR(1024),
    baseline_base     VARCHAR(128),
    baseline_adapter  VARCHAR(1024),
    baseline_model    VARCHAR(1024),
    dataset_name      VARCHAR(256)  NOT NULL,
    dataset_version   VARCHAR(256)  NOT NULL,
    max_examples      INTEGER       NOT NULL,
    policy_json       TEXT,
    metrics_json      TEXT,
    base_metrics_json TEXT,
    verdict           VARCHAR(8),
    reasons_json      TEXT,
    error             VARCHAR(2000),
    lease_owner       VARCHAR(256),
    heartbeat_at      TIMESTAMP,
    attempts          INTEGER       NOT NULL,
    created_at        TIMESTAMP     NOT NULL,
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP
);
CREATE INDEX evaluation_status ON evaluation (status, created_at);
CREATE UNIQUE INDEX evaluation_model_version ON evaluation (model_version);

-- One row per evaluated example: where it came from, and each side's score on it.
CREATE TABLE evaluation_example (
    evaluation_id    VARCHAR(128) NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    position         INTEGER      NOT NULL,
    line             BIGINT       NOT NULL,
    reference        TEXT,
    tokens           INTEGER      NOT NULL,
    baseline_nll     DOUBLE PRECISION,
    candidate_nll    DOUBLE PRECISION,
    PRIMARY KEY (evaluation_id, position)
);
