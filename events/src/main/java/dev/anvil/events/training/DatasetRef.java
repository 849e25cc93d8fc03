package dev.anvil.events.training;

import dev.anvil.events.Require;

/** One version of one dataset, as kept by the dataset-service. */
public record DatasetRef(String name, String version) {
    /** The longest name or version a consumer keeps (the dataset-service's own are far shorter). */
    public static final int MAX_LENGTH = 256;

    public DatasetRef {
        Require.name(name, "dataset.name", MAX_LENGTH);
        Require.name(version, "dataset.version", MAX_LENGTH);
    }
}
