package dev.anvil.gateway.safety;

import dev.anvil.llm.generate.Generation;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Answers through the safety rules before anyone sees them, the live metrics, drift monitoring and the traffic store
 * included: personal data and blocked terms or patterns masked, and a choice that a response filter matched cut
 * before the match with finish reason {@code content_filter} (OpenAI's convention).
 */
@ApplicationScoped
public class ResponseScreen {
    private final Redactor redactor;
    private final int holdBack;
    private final SafetyMeters meters;

    public ResponseScreen(SafetyRules rules, SafetyMeters meters) {
        this.redactor = rules.answers();
        this.holdBack = rules.holdBack();
        this.meters = meters;
    }

    /** A whole answer's choices, redacted; counted against the route and version that answered. */
    public List<Generation> screen(String route, String version, List<Generation> choices) {
        if (redactor.isEmpty()) return choices;
        return choices.stream().map(choice -> {
            Redaction redaction = redactor.redact(choice.text());
            meters.answered(route, version, redaction);
            return redaction.applyTo(choice);
        }).toList();
    }

    /**
     * The screen of one streamed answer of {@code n} choices.
     *
     * @param promptTokens the prompt's length in tokens, for the usage of a choice a filter ended
     * @param tokenizer    the model's tokenizer, to count the tokens a choice a filter ended had generated
     */
    public ScreenedStream stream(String route, String version, int n, int promptTokens,
                                 Function<String, int[]> tokenizer) {
        if (redactor.isEmpty()) return ScreenedStream.unscreened();
        return new ScreenedStream(n, () -> new StreamRedactor(redactor, holdBack),
                redaction -> meters.answered(route, version, redaction), promptTokens, tokenizer);
    }
}
