package dev.anvil.gateway.drift;

import java.time.Instant;
import java.util.List;

/** A closed live window of one version against its reference: every feature's check. */
public record WindowReport(String version, Instant start, Instant end, int samples, List<FeatureCheck> checks) {
    public WindowReport {
        checks = List.copyOf(checks);
    }

    public List<FeatureCheck> drifted() {
        return checks.stream().filter(FeatureCheck::drifted).toList();
    }
}
