package dev.anvil.events.model;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** The gateway can now serve {@code modelVersion} (an adapter over {@code baseModel}) under {@code model}. */
public record ModelVersionRegistered(String model, String modelVersion, String baseModel, String adapterPath)
        implements EventData {
    public ModelVersionRegistered {
        Require.present(model, "model");
        Require.present(modelVersion, "modelVersion");
        Require.present(baseModel, "baseModel");
    }

    @Override
    public String subject() {
        return model;
    }
}
