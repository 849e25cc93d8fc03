package dev.anvil.events.model;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** {@code modelVersion} was taken out of service and {@code restored} serves again, for {@code reason}. */
public record ModelVersionRolledBack(String model, String modelVersion, String restored, String reason)
        implements EventData {
    public ModelVersionRolledBack {
        Require.present(model, "model");
        Require.present(modelVersion, "modelVersion");
        Require.present(reason, "reason");
    }

    @Override
    public String subject() {
        return model;
    }
}
