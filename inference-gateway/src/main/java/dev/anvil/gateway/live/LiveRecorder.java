package dev.anvil.gateway.live;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Where the serving path starts the live record of each request it answers. */
@ApplicationScoped
public class LiveRecorder {
    private final LiveMetrics metrics;
    private final ServedResponses served;

    public LiveRecorder(LiveMetrics metrics, ServedResponses served) {
        this.metrics = metrics;
        this.served = served;
    }

    /**
     * @param responseId OpenAI's response id, what feedback names
     * @param model the name the client asked for
     * @param versionId the version that serves it
     * @param createdEpochSeconds the response's {@code created}
     */
    public Recording start(String responseId, String model, String versionId, long createdEpochSeconds) {
        return new Recording(metrics, served, responseId, model, versionId, Instant.ofEpochSecond(createdEpochSeconds));
    }
}
