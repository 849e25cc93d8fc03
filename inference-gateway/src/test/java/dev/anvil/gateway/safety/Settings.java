package dev.anvil.gateway.safety;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.pii.PiiType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code anvil.gateway.safety.*} as a test writes it: the defaults, changed one setting at a time. */
final class Settings implements GatewayConfig.Safety {
    private boolean redactPii = true;
    private Set<PiiType> piiTypes;
    private List<String> blockedTerms;
    private List<String> blockedPatterns;
    private String mask = "[REDACTED]";
    private int holdBackChars = 64;
    private Filters promptFilters = Filters.NONE;
    private Filters responseFilters = Filters.NONE;

    record Filters(Optional<List<String>> terms, Optional<List<String>> patterns)
            implements GatewayConfig.Safety.Filters {
        static final Filters NONE = new Filters(Optional.empty(), Optional.empty());

        static Filters terms(String... terms) {
            return new Filters(Optional.of(List.of(terms)), Optional.empty());
        }

        static Filters patterns(String... patterns) {
            return new Filters(Optional.empty(), Optional.of(List.of(patterns)));
        }
    }

    Settings pii(boolean redact) {
        redactPii = redact;
        return this;
    }

    Settings piiTypes(Set<PiiType> types) {
        piiTypes = types;
        return this;
    }

    Settings terms(String... terms) {
        blockedTerms = List.of(terms);
        return this;
    }

    Settings patterns(String... patterns) {
        blockedPatterns = List.of(patterns);
        return this;
    }

    Settings mask(String text) {
        mask = text;
        return this;
    }

    Settings holdBack(int chars) {
        holdBackChars = chars;
        return this;
    }

    Settings promptFilters(Filters filters) {
        promptFilters = filters;
        return this;
    }

    Settings responseFilters(Filters filters) {
        responseFilters = filters;
        return this;
    }

    SafetyRules rules() {
        return new SafetyRules(this);
    }

    @Override
    public boolean redactPii() {
        return redactPii;
    }

    @Override
    public Optional<Set<PiiType>> piiTypes() {
        return Optional.ofNullable(piiTypes);
    }

    @Override
    public Optional<List<String>> blockedTerms() {
        return Optional.ofNullable(blockedTerms);
    }

    @Override
    public Optional<List<String>> blockedPatterns() {
        return Optional.ofNullable(blockedPatterns);
    }

    @Override
    public String mask() {
        return mask;
    }

    @Override
    public int holdBackChars() {
        return holdBackChars;
    }

    @Override
    public Filters promptFilters() {
        return promptFilters;
    }

    @Override
    public Filters responseFilters() {
        return responseFilters;
    }
}
