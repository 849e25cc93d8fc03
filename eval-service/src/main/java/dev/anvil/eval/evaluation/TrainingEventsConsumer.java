package dev.anvil.eval.evaluation;

import dev.anvil.events.Topics;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.service.kafka.EventConsumers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads {@code training.events} through the shared consumer loop: each {@link TrainingCompleted} queues the
 * evaluation of the job's result, once (a redelivery finds it and starts nothing new). A job's other events
 * (started, progress, failed, cancelled) are not evaluated; a message that cannot be parsed, or whose paths leave
 * the data directory, is dead-lettered.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    static final String NAME = "training.events consumer";
    static final String GROUP = "eval-service";

    private final EventConsumers consumers;
    private final Evaluations evaluations;

    public TrainingEventsConsumer(EventConsumers consumers, Evaluations evaluations) {
        this.consumers = consumers;
        this.evaluations = evaluations;
    }

    void start(@Observes StartupEvent ignored) {
        consumers.start(NAME, Topics.TRAINING_EVENTS, GROUP, event -> {
            if (event.data() instanceof TrainingCompleted done) evaluations.submitTrained(done);
        });
    }
}
