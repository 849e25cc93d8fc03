package dev.anvil.gateway.live;

import dev.anvil.gateway.limits.Reservation;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;
import dev.anvil.llm.serve.DeltaSink;
import jakarta.enterprise.event.Event;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live record of one served request, from the moment its version is known: its latency runs from here to
 * {@link #finish}, which also settles what the request reserved against its key's limits. Made by
 * {@link LiveRecorder#start}.
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
    private final ServingMeters meters;
    private final Reservation reservation;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    /** When the first and the latest text came: written on the engine's thread, read at the end. */
    private volatile long firstTextNanos = -1;
    private volatile long lastTextNanos = -1;
    /** Deltas seen (a token of one choice each): what a request that ends unanswered is charged for. */
    private final AtomicInteger deltas = new AtomicInteger();

    Recording(LiveMetrics metrics, ServingMeters meters, ServedResponses served, Event<ServedExchange> exchanges,
              String responseId, String model, String versionId, Instant created, ServedExchange.Prompt prompt,
              Reservation reservation) {
        this.metrics = metrics;
        this.meters = meters;
        this.served = served;
        this.exchanges = exchanges;
        this.responseId = responseId;
        this.model = model;
        this.versionId = versionId;
        this.created = created;
        this.prompt = prompt;
        this.reservation = reservation;
    }

    /** {@code sink}, with the times of the request's text noted on the way (time to first token, between tokens). */
    public DeltaSink timing(DeltaSink sink) {
        return new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                deltas.incrementAndGet();
                if (!delta.text().isEmpty()) {
                    long now = System.nanoTime();
                    if (firstTextNanos < 0) firstTextNanos = now;
                    lastTextNanos = now;
                }
                sink.onDelta(delta);
            }

            @Override
            public void onError(Throwable error) {
                sink.onError(error);
            }
        };
    }

    /** Keeps the response id for feedback: call once its client has it (an answer, a stream's chunks). */
    public void remember() {
        served.remember(responseId, versionId, model, created);
    }

    /**
     * Counts the request against its version, once (a second call changes nothing); {@code choices}: as far as they
     * came, read for a refusal. An answered request is handed on as a {@link ServedExchange}. The request's
     * reservation is settled: it spent its prompt and its completion tokens (an unanswered one: the tokens it was sent).
     */
    public void finish(Outcome outcome, List<Generation> choices) {
        if (!finished.compareAndSet(false, true)) return;
        int promptTokens = prompt.tokenIds().length;
        reservation.settle(promptTokens + (outcome == Outcome.ANSWERED
                ? choices.stream().mapToLong(g -> g.usage().completionTokens()).sum() : deltas.get()));
        boolean refused = choices.stream().map(Generation::text).anyMatch(RefusalPhrases::isRefusal);
        long nanos = System.nanoTime() - startNanos;
        metrics.request(versionId, outcome, nanos, refused);
        meters.request(model, versionId, outcome, nanos);
        if (outcome == Outcome.ANSWERED) {
            int completionTokens = choices.stream().mapToInt(g -> g.usage().completionTokens()).sum();
            int longest = choices.stream().mapToInt(g -> g.usage().completionTokens()).max().orElse(0);
            long first = firstTextNanos < 0 ? -1 : firstTextNanos - startNanos;
            // The choices of one request decode side by side, so the longest one paces the deltas.
            long between = longest < 2 || firstTextNanos < 0 ? -1 : (lastTextNanos - firstTextNanos) / (longest - 1);
            meters.answered(model, versionId, promptTokens, completionTokens, first, between);
            exchanges.fire(new ServedExchange(responseId, model, versionId, created, prompt, List.copyOf(choices)));
        }
    }
}
