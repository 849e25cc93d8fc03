package dev.anvil.gateway.live;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live record of one served request, from the moment its version is known: its latency runs from here to
 * {@link #finish}. Made by {@link LiveRecorder#start}.
 */
public final class Recording {
    private final LiveMetrics metrics;
    private final ServedResponses served;
    private final String responseId;
    private final String model;
    private final String versionId;
    private final Instant created;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    Recording(LiveMetrics metrics, ServedResponses served, String responseId, String model, String versionId,
              Instant created) {
        this.metrics = metrics;
        this.served = served;
        this.responseId = responseId;
        this.model = model;
        this.versionId = versionId;
        this.created = created;
    }

    /** Keeps the response id for feedback: call once its client has it (an answer, a stream's chunks). */
    public void remember() {
        served.remember(responseId, versionId, model, created);
    }

    /**
     * Counts the request against its version, once (a second call changes nothing); {@code texts}: the choices'
     * texts as far as they came, read for a refusal.
     */
    public void finish(Outcome outcome, List<String> texts) {
        if (!finished.compareAndSet(false, true)) return;
        boolean refused = texts.stream().anyMatch(RefusalPhrases::isRefusal);
        metrics.request(versionId, outcome, System.nanoTime() - startNanos, refused);
    }
}
