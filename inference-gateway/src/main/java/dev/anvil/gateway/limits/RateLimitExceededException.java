package dev.anvil.gateway.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A request refused by a rate limit or budget (429): what OpenAI answers, told apart from a full engine queue
 * ({@code engine_overloaded}). {@code retryAfter} is empty when waiting cannot help: the request alone needs more than
 * the limit.
 */
public final class RateLimitExceededException extends RuntimeException {
    private final boolean budget;
    private final boolean tokens;
    private final Optional<Duration> retryAfter;
    private final Map<String, String> headers;

    RateLimitExceededException(Quota quota, String message, Optional<Duration> retryAfter, Map<String, String> headers) {
        super(message);
        this.budget = quota.kind().isBudget();
        this.tokens = quota.kind().countsTokens;
        this.retryAfter = retryAfter;
        this.headers = headers;
    }

    /** OpenAI's error type: {@code requests} or {@code tokens}, or {@code insufficient_quota} for a spent budget. */
    public String type() {
        return budget ? "insufficient_quota" : tokens ? "tokens" : "requests";
    }

    /** OpenAI's error code: {@code rate_limit_exceeded}, or {@code insufficient_quota} for a spent budget. */
    public String code() {
        return budget ? "insufficient_quota" : "rate_limit_exceeded";
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The {@code x-ratelimit-*} headers as they stood when the request was refused. */
    public Map<String, String> headers() {
        return headers;
    }
}
