package dev.anvil.trainer.job;

import dev.anvil.events.EventData;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Hands this process's training events to in-process listeners by job id (the live event streams), as
 * {@link TrainingEventPublisher} sends them to Kafka. Only jobs that run in this replica are seen here.
 */
@ApplicationScoped
public class JobEventBroadcaster {
    private static final Logger LOG = Logger.getLogger(JobEventBroadcaster.class);

    private final Map<String, Set<Consumer<EventData>>> listeners = new ConcurrentHashMap<>();

    /** Calls {@code listener} with each later event of {@code jobId} until the returned handle is closed. */
    public AutoCloseable subscribe(String jobId, Consumer<EventData> listener) {
        listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Called on the publishing thread (the trainer's): listeners must be quick, and their failures stay theirs. */
    void publish(EventData event) {
        Set<Consumer<EventData>> forJob = listeners.get(event.subject());
        if (forJob == null) return;
        for (Consumer<EventData> listener : forJob) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "an event listener of job %s failed", event.subject());
            }
        }
    }
}
