package dev.anvil.events.training;

import dev.anvil.events.Require;

/** One version of one dataset, as kept by the dataset-service. */
public record DatasetRef(String name, String version) {
    public DatasetRef {
        Require.present(name, "dataset.name");
        Require.present(version, "dataset.version");
    }
}
