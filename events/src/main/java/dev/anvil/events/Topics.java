package dev.anvil.events;

import java.util.List;

/** The Kafka topics of design.md. Each message is keyed by its subject so one subject's events stay ordered. */
public final class Topics {
    public static final String DATASET_EVENTS = "dataset.events";
    public static final String TRAINING_REQUESTS = "training.requests";
    public static final String TRAINING_EVENTS = "training.events";
    public static final String EVALUATION_EVENTS = "evaluation.events";
    public static final String MODEL_EVENTS = "model.events";
    public static final String DRIFT_EVENTS = "drift.events";

    public static final List<String> ALL = List.of(
            DATASET_EVENTS, TRAINING_REQUESTS, TRAINING_EVENTS, EVALUATION_EVENTS, MODEL_EVENTS, DRIFT_EVENTS);

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}: where messages that cannot be parsed go, with the reason. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
