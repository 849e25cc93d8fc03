-- A servable version: a base model plus a LoRA adapter directory, or a model directory of its own (merged or fully
-- fine-tuned). Paths are relative to the data directory. A trained version's id is its job id.
CREATE TABLE model_version (
    id            VARCHAR(128)  NOT NULL PRIMARY KEY,
    base_model    VARCHAR(128),
    adapter_path  VARCHAR(1024),
    model_path    VARCHAR(1024),
    job_id        VARCHAR(128),
    created_at    TIMESTAMP     NOT NULL,
    CONSTRAINT model_version_weights CHECK (adapter_path IS NOT NULL OR model_path IS NOT NULL)
);

-- A public model name and the version it serves.
CREATE TABLE model_route (
    name        VARCHAR(128) NOT NULL PRIMARY KEY,
    version_id  VARCHAR(128) NOT NULL REFERENCES model_version (id),
    updated_at  TIMESTAMP    NOT NULL
);

-- API keys of /v1: only the SHA-256 of a key is kept, with a prefix to tell keys apart in listings.
CREATE TABLE api_key (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    key_prefix  VARCHAR(16)  NOT NULL,
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    created_at  TIMESTAMP    NOT NULL,
    revoked_at  TIMESTAMP
);
