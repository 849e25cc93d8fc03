package dev.anvil.gateway.version;

import dev.anvil.events.Topics;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.service.kafka.EventConsumers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads {@code training.events} through the shared consumer loop: each {@link TrainingCompleted} becomes a version
 * named by its job id (a redelivery finds it and changes nothing); the job's other events are not the gateway's
 * business. A message that cannot be parsed, or whose paths leave the data directory, is dead-lettered.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    static final String NAME = "training.events consumer";
    static final String GROUP = "inference-gateway";

    private final EventConsumers consumers;
    private final Versions versions;

    public TrainingEventsConsumer(EventConsumers consumers, Versions versions) {
        this.consumers = consumers;
        this.versions = versions;
    }

    void start(@Observes StartupEvent ignored) {
        consumers.start(NAME, Topics.TRAINING_EVENTS, GROUP, event -> {
            if (event.data() instanceof TrainingCompleted done) versions.registerTrained(done);
        });
    }
}
