package dev.anvil.gateway.live;

import dev.anvil.llm.generate.Generation;
import jakarta.enterprise.event.Event;

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
    private final Event<ServedExchange> exchanges;
    private final String responseId;
    private final String model;
    private final String versionId;
    private final Instant created;
    private final ServedExchange.Prompt prompt;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    Recording(LiveMetrics metrics, ServedResponses served, Event<ServedExchange> exchanges, String responseId,
              String model, String versionId, Instant created, ServedExchange.Prompt prompt) {
        this.metrics = metrics;
        this.served = served;
        this.exchanges = exchanges;
        this.responseId = responseId;
        this.model = model;
        this.versionId = versionId;
        this.created = created;
        this.prompt = prompt;
    }

    /** Keeps the response id for feedback: call once its client has it (an answer, a stream's chunks). */
    public void remember() {
        served.remember(responseId, versionId, model, created);
    }

    /**
     * Counts the request against its version, once (a second call changes nothing); {@code choices}: as far as they
     * came, read for a refusal. An answered request is handed on as a {@link ServedExchange}.
     */
    public void finish(Outcome outcome, List<Generation> choices) {
        if (!finished.compareAndSet(false, true)) return;
        boolean refused = choices.stream().map(Generation::text).anyMatch(RefusalPhrases::isRefusal);
        metrics.request(versionId, outcome, System.nanoTime() - startNanos, refused);
        if (outcome == Outcome.ANSWERED) {
            exchanges.fire(new ServedExchange(responseId, model, versionId, created, prompt, List.copyOf(choices)));
        }
    }
}
