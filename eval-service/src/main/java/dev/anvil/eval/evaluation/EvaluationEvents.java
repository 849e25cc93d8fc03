package dev.anvil.eval.evaluation;

import dev.anvil.eval.EvalConfig;
import dev.anvil.service.http.RefusedException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /evaluations/{id}/events}: an evaluation's progress as server-sent events. Whichever replica runs it,
 * the stream follows the database, read every {@code anvil.eval.events.poll-interval}: a {@code progress} event
 * ({@code status}, and while running {@code phase}, {@code done}, {@code total}) at once and whenever it changed, and
 * a last {@code state} event (the evaluation as {@code GET /evaluations} lists it, with metrics and verdict) once it
 * is finished, after which the stream ends.
 */
@ApplicationScoped
public class EvaluationEvents {
    static final String PROGRESS = "progress";
    static final String STATE = "state";

    /** What a progress event says. */
    public record ProgressEvent(String id, String status, String phase, Integer done, Integer total) {
        static ProgressEvent of(EvaluationView v) {
            return new ProgressEvent(v.id(), v.status(), v.progress() == null ? null : v.progress().phase(),
                    v.progress() == null ? null : v.progress().done(), v.progress() == null ? null : v.progress().total());
        }
    }

    private final Evaluations evaluations;
    private final EvalConfig config;
    private final Semaphore streams;
    /** One thread polls for every stream (a quick read each); Mutiny's ticks would run on the event loop. */
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "anvil-eval-event-poller");
        t.setDaemon(true);
        return t;
    });

    public EvaluationEvents(Evaluations evaluations, EvalConfig config) {
        this.evaluations = evaluations;
        this.config = config;
        this.streams = new Semaphore(config.events().maxStreams());
    }

    /** The stream of evaluation {@code id}; 404 when there is none, 503 when too many streams are open. */
    public Multi<OutboundSseEvent> open(String id, Sse sse) {
        evaluations.summary(id); // 404 before the stream starts
        if (!streams.tryAcquire()) {
            throw RefusedException.unavailable("too many open event streams (anvil.eval.events.max-streams="
                    + config.events().maxStreams() + "); poll GET /evaluations/" + id + " instead");
        }
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> new Session(id, sse, emitter).start())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }

    private final class Session {
        private final String id;
        private final Sse sse;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final AtomicBoolean ended = new AtomicBoolean();
        private ProgressEvent last;
        private volatile ScheduledFuture<?> polling;

        Session(String id, Sse sse, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.id = id;
            this.sse = sse;
            this.emitter = emitter;
        }

        void start() {
            emitter.onTermination(this::close);
            long every = config.events().pollInterval().toMillis();
            polling = poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
        }

        private void poll() {
            if (ended.get()) return;
            try {
                EvaluationView now = evaluations.summary(id);
                ProgressEvent progress = ProgressEvent.of(now);
                if (!Objects.equals(progress, last)) {
                    emitter.emit(event(PROGRESS, progress));
                    last = progress;
                }
                if (EvaluationStatus.valueOf(now.status().toUpperCase(java.util.Locale.ROOT)).isFinal()) {
                    emitter.emit(event(STATE, now));
                    emitter.complete();
                }
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }

        private OutboundSseEvent event(String name, Object data) {
            return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build();
        }

        private void close() {
            if (ended.compareAndSet(false, true)) {
                ScheduledFuture<?> p = polling;
                if (p != null) p.cancel(false);
                streams.release();
            }
        }
    }
}
