package dev.anvil.trainer.job;

import dev.anvil.events.EventData;
import dev.anvil.service.kafka.EventProducer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes the trainer's messages through the shared {@link EventProducer} (keyed by the job id, so one job's
 * events stay ordered; acknowledged before this returns). Once on the broker, an event also goes to this
 * process's live event streams, and a job's final event counts its end ({@link JobMeters}).
 */
@ApplicationScoped
public class TrainingEventPublisher {
    static final String SOURCE = "anvil/trainer-service";

    private final EventProducer producer;
    private final JobEventBroadcaster broadcaster;
    private final JobMeters meters;

    public TrainingEventPublisher(EventProducer producer, JobEventBroadcaster broadcaster, JobMeters meters) {
        this.producer = producer;
        this.broadcaster = broadcaster;
        this.meters = meters;
    }

    public void publish(EventData data) {
        producer.publish(SOURCE, data);
        broadcaster.publish(data);
        meters.published(data);
    }
}
