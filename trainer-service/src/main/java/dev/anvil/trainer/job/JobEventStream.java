package dev.anvil.trainer.job;

import dev.anvil.events.EventData;
import dev.anvil.events.MessageTypes;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /jobs/{id}/events}: a job's progress as server-sent events. The stream opens with a {@code state}
 * event (the job as {@code GET /jobs/{id}} shows it), then carries the job's training events live, each named by its
 * type ({@code TrainingProgress}, ...), as this process publishes them. A job that runs in another replica is
 * followed by polling the database every {@code anvil.trainer.events.poll-interval}: a {@code state} event whenever
 * its step or status changed. The stream ends after the job's final {@code state}: at once for a finished job,
 * otherwise after its terminal event (or, for a job of another replica, once polling finds it over).
 */
@ApplicationScoped
public class JobEventStream {
    private static final Logger LOG = Logger.getLogger(JobEventStream.class);
    static final String STATE = "state";
    /** Events a slow client may fall behind by before its stream is ended (it can reconnect for a fresh state). */
    private static final int BUFFER = 256;
    /**
     * How long a stream of a job that ran here waits, once the database says the job is over, for the terminal
     * event (it is published just after the record is written; only a failing broker delays it).
     */
    private static final Duration TERMINAL_GRACE = Duration.ofSeconds(10);

    private final JobEventBroadcaster broadcaster;
    private final ExperimentQueries queries;
    private final Duration pollInterval;
    private final int maxStreams;
    private final Semaphore streams;
    /** One thread polls for every stream (a quick read each); Mutiny's ticks would run on the event loop. */
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-event-poller");
        t.setDaemon(true);
        return t;
    });

    public JobEventStream(JobEventBroadcaster broadcaster, ExperimentQueries queries,
                          @ConfigProperty(name = "anvil.trainer.events.poll-interval") Duration pollInterval,
                          @ConfigProperty(name = "anvil.trainer.events.max-streams") int maxStreams) {
        this.broadcaster = broadcaster;
        this.queries = queries;
        this.pollInterval = pollInterval;
        this.maxStreams = maxStreams;
        this.streams = new Semaphore(maxStreams);
    }

    /** The stream of {@code jobId}; 404 when the job is unknown, 503 when too many streams are open. */
    public Multi<OutboundSseEvent> open(String jobId, Sse sse) {
        if (queries.details(jobId).isEmpty()) throw new NotFoundException("no job " + jobId);
        if (!streams.tryAcquire()) {
            throw new ServiceUnavailableException("too many open event streams (anvil.trainer.events.max-streams="
                    + maxStreams + "); try again later or poll GET /jobs/" + jobId);
        }
        // Subscribed from the event loop: the session's start reads the database, so it runs on a worker thread.
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> new Session(jobId, sse, emitter).start())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onOverflow().buffer(BUFFER);
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }

    private static boolean isTerminal(EventData event) {
        return event instanceof TrainingCompleted || event instanceof TrainingFailed
                || event instanceof TrainingCancelled;
    }

    /** One client's stream. Live events arrive on the publishing thread, polls on a timer: both may end it. */
    private final class Session {
        private final String jobId;
        private final Sse sse;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Whether live events arrived since the last poll: the job runs here, so polling stays quiet. */
        private final AtomicBoolean live = new AtomicBoolean();
        private volatile boolean ranHere;
        private int finalPolls;
        private volatile AutoCloseable subscription;
        private volatile ScheduledFuture<?> polling;
        private volatile JobDetails lastState;
        /** Live events that arrive before the first state is sent; null once it is (then they go straight out). */
        private List<EventData> early = new ArrayList<>();
        private final Object order = new Object();

        Session(String jobId, Sse sse, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.jobId = jobId;
            this.sse = sse;
            this.emitter = emitter;
        }

        void start() {
            emitter.onTermination(this::close);
            // Subscribed before the first state is read, so that no event falls between the two; the events that
            // come meanwhile are held back until the state is out.
            subscription = broadcaster.subscribe(jobId, this::onEvent);
            JobDetails now = queries.details(jobId).orElse(null);
            if (now == null || now.isFinal()) {
                end(now);
                return;
            }
            synchronized (order) {
                sendState(now);
                early.forEach(this::deliver);
                early = null;
            }
            long every = pollInterval.toMillis();
            polling = poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
            if (ended.get()) polling.cancel(false); // a terminal event may have ended the stream meanwhile
        }

        private void onEvent(EventData event) {
            synchronized (order) {
                if (early != null) early.add(event);
                else deliver(event);
            }
        }

        private void deliver(EventData event) {
            if (ended.get()) return;
            live.set(true);
            ranHere = true;
            emitter.emit(sse.newEventBuilder().name(MessageTypes.nameOf(event.getClass()))
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(event).build());
            if (isTerminal(event)) end(queries.details(jobId).orElse(null));
        }

        private void pollSafely() {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.warnf(e, "polling job %s for its event stream failed; trying again", jobId);
            }
        }

        private void poll() {
            if (ended.get()) return;
            boolean liveSincePoll = live.getAndSet(false);
            JobDetails now = queries.details(jobId).orElse(null);
            if (now == null) {
                end(null);
            } else if (now.isFinal()) {
                // A job that ran here ends its stream with its terminal event, which follows the record.
                if (!ranHere || ++finalPolls * pollInterval.toMillis() >= TERMINAL_GRACE.toMillis()) end(now);
            } else if (!liveSincePoll && changed(now)) {
                sendState(now);
            }
        }

        private boolean changed(JobDetails now) {
            JobDetails before = lastState;
            return before == null || !before.job().status().equals(now.job().status())
                    || before.job().step() != now.job().step();
        }

        private void sendState(JobDetails state) {
            lastState = state;
            emitter.emit(sse.newEventBuilder().name(STATE).mediaType(MediaType.APPLICATION_JSON_TYPE).data(state)
                    .build());
        }

        /** Sends the final state (if any) and completes the stream, once. */
        private void end(JobDetails state) {
            if (!ended.compareAndSet(false, true)) return;
            if (state != null) sendState(state);
            emitter.complete();
        }

        private void close() {
            ended.set(true);
            ScheduledFuture<?> p = polling;
            if (p != null) p.cancel(false);
            try {
                AutoCloseable s = subscription;
                if (s != null) s.close();
            } catch (Exception e) {
                LOG.debugf(e, "closing the subscription of job %s", jobId);
            } finally {
                streams.release();
            }
        }
    }
}
