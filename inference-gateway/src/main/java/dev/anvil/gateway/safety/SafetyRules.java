package dev.anvil.gateway.safety;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.pii.PiiType;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of {@code anvil.gateway.safety.*}, checked and compiled once at start: a pattern that is no regular
 * expression, a blank term or a hold-back window shorter than a term fails the start, naming the key. Answers get
 * the response filters (which cut), PII, blocked terms and blocked patterns (which mask), in that order when two
 * find the same text; prompts get the prompt filters.
 */
@Singleton
@Startup
public class SafetyRules {
    static final String PREFIX = "anvil.gateway.safety.";

    private final Redactor answers;
    private final Redactor prompts;
    private final int holdBack;

    @Inject
    public SafetyRules(GatewayConfig config) {
        this(config.safety());
    }

    SafetyRules(GatewayConfig.Safety safety) {
        this.holdBack = safety.holdBackChars();
        if (holdBack < 1) throw new IllegalArgumentException(PREFIX + "hold-back-chars must be at least 1.");
        List<TextRule> answerRules = new ArrayList<>();
        filters(safety.responseFilters(), "response-filters", answerRules);
        if (safety.redactPii()) {
            answerRules.add(new PiiRule(safety.piiTypes().orElse(EnumSet.allOf(PiiType.class))));
        }
        terms(safety.blockedTerms(), "blocked-terms", safety.mask(), answerRules);
        patterns(safety.blockedPatterns(), "blocked-patterns", safety.mask(), answerRules);
        this.answers = new Redactor(answerRules);
        List<TextRule> promptRules = new ArrayList<>();
        filters(safety.promptFilters(), "prompt-filters", promptRules);
        this.prompts = new Redactor(promptRules);
    }

    /** What answers are redacted with. */
    Redactor answers() {
        return answers;
    }

    /** What refuses a prompt: every finding is a filter's. */
    Redactor prompts() {
        return prompts;
    }

    /** The most characters a stream holds back per choice. */
    int holdBack() {
        return holdBack;
    }

    private void filters(GatewayConfig.Safety.Filters filters, String key, List<TextRule> rules) {
        terms(filters.terms(), key + ".terms", null, rules);
        patterns(filters.patterns(), key + ".patterns", null, rules);
    }

    private void terms(Optional<List<String>> configured, String key, String mask, List<TextRule> rules) {
        if (configured.isEmpty()) return;
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < configured.get().size(); i++) {
            String term = configured.get().get(i).strip();
            if (term.isEmpty()) throw new IllegalArgumentException(PREFIX + key + "[" + i + "] is blank.");
            // A stream only finds a term split across deltas if the window holds it whole.
            if (term.length() > holdBack) {
                throw new IllegalArgumentException(PREFIX + key + "[" + i + "] is " + term.length() + " characters "
                        + "long, longer than " + PREFIX + "hold-back-chars (" + holdBack + "): a stream could let it "
                        + "through. Raise hold-back-chars to at least " + term.length() + ".");
            }
            terms.add(term);
        }
        if (!terms.isEmpty()) rules.add(RegexRule.terms(terms, mask));
    }

    private static void patterns(Optional<List<String>> configured, String key, String mask, List<TextRule> rules) {
        if (configured.isEmpty()) return;
        for (int i = 0; i < configured.get().size(); i++) {
            String name = PREFIX + key + "[" + i + "]";
            rules.add(RegexRule.pattern(compile(name, configured.get().get(i)), "pattern " + name, mask));
        }
    }

    /** The pattern, or a failure naming the key; the pattern itself stays out of the message (it may be a secret). */
    static Pattern compile(String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + " is not a Java regular expression: " + e.getDescription()
                    + " at index " + e.getIndex() + ".");
        }
    }
}
