package dev.anvil.gateway.live;

import dev.anvil.gateway.limits.Reservation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.Instant;

/** Where the serving path starts the live record of each request it answers. */
@ApplicationScoped
public class LiveRecorder {
    private final LiveMetrics metrics;
    private final ServingMeters meters;
    private final ServedResponses served;
    private final Event<ServedExchange> exchanges;

    public LiveRecorder(LiveMetrics metrics, ServingMeters meters, ServedResponses served,
                        Event<ServedExchange> exchanges) {
        this.metrics = metrics;
        this.meters = meters;
        this.served = served;
        this.exchanges = exchanges;
    }

    /**
     * @param responseId OpenAI's response id, what feedback names
     * @param model the name the client asked for
     * @param versionId the version that serves it
     * @param createdEpochSeconds the response's {@code created}
     * @param reservation what the request holds against its key's limits, settled when it finishes
     */
    public Recording start(String responseId, String model, String versionId, long createdEpochSeconds,
                           ServedExchange.Prompt prompt, Reservation reservation) {
        return new Recording(metrics, meters, served, exchanges, responseId, model, versionId,
                Instant.ofEpochSecond(createdEpochSeconds), prompt, reservation);
    }
}
