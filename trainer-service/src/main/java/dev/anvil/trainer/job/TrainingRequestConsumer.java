package dev.anvil.trainer.job;

import dev.anvil.events.Topics;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.service.kafka.EventConsumers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads {@code training.requests} through the shared consumer loop and hands each request to {@link JobService}.
 * The offset is committed once the job is recorded, so a crash redelivers the request and the job id keeps that
 * harmless; a message that is no {@code TrainingRequested} is dead-lettered.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    static final String NAME = "training.requests consumer";
    static final String GROUP = "trainer-service";

    private final EventConsumers consumers;
    private final JobService jobs;

    public TrainingRequestConsumer(EventConsumers consumers, JobService jobs) {
        this.consumers = consumers;
        this.jobs = jobs;
    }

    void start(@Observes StartupEvent ignored) {
        consumers.start(NAME, Topics.TRAINING_REQUESTS, GROUP,
                event -> jobs.accept(event.dataAs(TrainingRequested.class)));
    }
}
