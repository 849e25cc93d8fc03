package dev.anvil.events.model;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.util.Map;

/** The share of {@code model}'s traffic each version now gets (shares sum to 1). */
public record TrafficSplitChanged(String model, Map<String, Double> shares, String reason) implements EventData {
    public TrafficSplitChanged {
        Require.present(model, "model");
        shares = Map.copyOf(Require.present(shares, "shares"));
    }

    @Override
    public String subject() {
        return model;
    }
}
