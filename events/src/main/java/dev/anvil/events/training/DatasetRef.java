package dev.anvil.events.training;

import dev.anvil.events.Require;

/** One version of one dataset, as kept by the dataset-service. */
public record DatasetRef(String name, String version) {
    public DatasetRef {
        Require.name(name, "dataset.name");
        Require.name(version, "dataset.version");
    }
}
