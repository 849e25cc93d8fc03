package dev.anvil.gateway.safety;

import dev.anvil.service.pii.PiiAnonymizer;
import dev.anvil.service.pii.PiiSpan;
import dev.anvil.service.pii.PiiType;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Personal data, found by the detectors the dataset-service anonymises with, masked by its typed placeholder. */
final class PiiRule implements TextRule {
    private final PiiAnonymizer detectors;

    PiiRule(Set<PiiType> types) {
        this.detectors = new PiiAnonymizer(types);
    }

    @Override
    public void find(String text, int from, List<Finding> found) {
        for (PiiSpan span : detectors.find(text, from)) {
            String kind = span.type().name().toLowerCase(Locale.ROOT);
            found.add(new Finding(span.start(), span.end(), kind, kind, span.type().placeholder()));
        }
    }
}
