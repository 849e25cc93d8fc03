package dev.anvil.gateway.safety;

import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;

import java.util.Map;

/**
 * A text after redaction.
 *
 * @param text   the text with its findings masked, cut before a filter's finding
 * @param counts how many findings were masked, by kind (a PII type in lower case, {@code term}, {@code pattern})
 * @param cut    whether a filter cut the text
 */
record Redaction(String text, Map<String, Integer> counts, boolean cut) {
    Redaction {
        counts = Map.copyOf(counts);
    }

    boolean changed() {
        return cut || !counts.isEmpty();
    }

    /** {@code choice} with this text, ended by a filter when it was cut. */
    Generation applyTo(Generation choice) {
        if (!changed()) return choice;
        return new Generation(choice.tokenIds(), text, cut ? FinishReason.CONTENT_FILTER : choice.finishReason(),
                choice.usage(), choice.logprobs());
    }
}
