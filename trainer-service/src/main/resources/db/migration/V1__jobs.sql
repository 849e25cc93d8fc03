-- One row per fine-tuning job; the job id is the request's business key, which makes requests idempotent.
CREATE TABLE training_job (
    id              VARCHAR(128)  NOT NULL PRIMARY KEY,
    status          VARCHAR(16)   NOT NULL,
    base_model      VARCHAR(1024) NOT NULL,
    dataset_name    VARCHAR(256)  NOT NULL,
    dataset_version VARCHAR(256)  NOT NULL,
    method          VARCHAR(16)   NOT NULL,
    request_json    TEXT          NOT NULL,
    step            BIGINT        NOT NULL,
    total_steps     BIGINT        NOT NULL,
    reason          VARCHAR(2000),
    adapter_path    VARCHAR(1024),
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL
);
