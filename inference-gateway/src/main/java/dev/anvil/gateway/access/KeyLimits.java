package dev.anvil.gateway.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.anvil.service.http.RefusedException;

/**
 * A key's own limits, each replacing the configured default ({@code anvil.gateway.rate-limits.*}) where set; null:
 * the default. Tokens are prompt plus completion.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyLimits(Long requestsPerMinute, Long tokensPerMinute, Long tokensPerDay, Long tokensPerMonth) {
    public static final KeyLimits DEFAULTS = new KeyLimits(null, null, null, null);

    /** This, or a refusal naming a limit below 1: a key that may send nothing is a revoked key. */
    KeyLimits checked() {
        positive("limits.requestsPerMinute", requestsPerMinute);
        positive("limits.tokensPerMinute", tokensPerMinute);
        positive("limits.tokensPerDay", tokensPerDay);
        positive("limits.tokensPerMonth", tokensPerMonth);
        return this;
    }

    private static void positive(String field, Long value) {
        if (value != null && value < 1) {
            throw RefusedException.invalid(field + " must be at least 1 (omit it for the configured default), not " + value);
        }
    }

    static KeyLimits of(ApiKey k) {
        return new KeyLimits(k.requestsPerMinute, k.tokensPerMinute, k.tokensPerDay, k.tokensPerMonth);
    }

    void applyTo(ApiKey k) {
        k.requestsPerMinute = requestsPerMinute;
        k.tokensPerMinute = tokensPerMinute;
        k.tokensPerDay = tokensPerDay;
        k.tokensPerMonth = tokensPerMonth;
    }
}
