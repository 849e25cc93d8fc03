package dev.anvil.gateway.safety;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** The prompt filters ({@code anvil.gateway.safety.prompt-filters.*}): a prompt they match is refused, not served. */
@ApplicationScoped
public class PromptScreen {
    private final Redactor filters;
    private final SafetyMeters meters;

    public PromptScreen(SafetyRules rules, SafetyMeters meters) {
        this.filters = rules.prompts();
        this.meters = meters;
    }

    /**
     * Why {@code prompt} (what the caller wrote: every message's content) is refused, naming the filter that matched
     * it; empty when it may be served. A refusal is counted against the route and version it was meant for.
     */
    public Optional<String> refusal(String route, String version, String prompt) {
        if (filters.isEmpty()) return Optional.empty();
        List<Finding> found = filters.find(prompt);
        if (found.isEmpty()) return Optional.empty();
        meters.filtered(route, version, SafetyMeters.Direction.PROMPT);
        return Optional.of("The prompt was refused by the gateway's content filter: it matches the "
                + found.get(0).rule() + ".");
    }
}
