package dev.anvil.events.drift;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.time.Instant;

/**
 * A monitored feature of live traffic moved away from its reference.
 *
 * @param feature   what was measured, e.g. {@code prompt_length}
 * @param statistic how, e.g. {@code psi} or {@code ks}
 * @param value     the statistic's value over the window
 * @param threshold the value above which drift is declared
 */
public record DriftDetected(String modelVersion, String feature, String statistic, double value, double threshold,
                            Window window) implements EventData {
    public DriftDetected {
        Require.present(modelVersion, "modelVersion");
        Require.present(feature, "feature");
        Require.present(statistic, "statistic");
        Require.present(window, "window");
    }

    @Override
    public String subject() {
        return modelVersion;
    }

    /** The observation window: its bounds and how many requests it held. */
    public record Window(Instant start, Instant end, long samples) {
    }
}
