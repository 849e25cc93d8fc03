package dev.anvil.events.model;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** {@code modelVersion} now takes all of {@code model}'s traffic; {@code previous} was the version before it. */
public record ModelVersionPromoted(String model, String modelVersion, String previous) implements EventData {
    public ModelVersionPromoted {
        Require.present(model, "model");
        Require.present(modelVersion, "modelVersion");
    }

    @Override
    public String subject() {
        return model;
    }
}
