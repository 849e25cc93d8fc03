-- The outbox of model.events becomes the outbox of every topic the gateway writes (drift.events too).
ALTER TABLE model_event RENAME TO gateway_event;
ALTER TABLE gateway_event RENAME COLUMN route_name TO subject;
ALTER TABLE gateway_event ADD COLUMN topic VARCHAR(64) DEFAULT 'model.events' NOT NULL;
CREATE INDEX gateway_event_topic ON gateway_event (topic, subject, id);

-- The last drift alert per version and feature: every replica raises through this row, so an alert is published
-- once per cool-down across replicas.
CREATE TABLE drift_alert (
    version_id    VARCHAR(128)     NOT NULL,
    feature       VARCHAR(64)      NOT NULL,
    statistic     VARCHAR(64)      NOT NULL,
    stat_value    DOUBLE PRECISION NOT NULL,
    threshold     DOUBLE PRECISION NOT NULL,
    window_start  TIMESTAMP        NOT NULL,
    window_end    TIMESTAMP        NOT NULL,
    samples       BIGINT           NOT NULL,
    raised_at     TIMESTAMP        NOT NULL,
    PRIMARY KEY (version_id, feature)
);
