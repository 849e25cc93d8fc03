package dev.anvil.gateway.rollout;

import dev.anvil.events.Topics;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.service.kafka.EventConsumers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads {@code evaluation.events} through the shared consumer loop: each verdict goes to {@link Rollouts} (a
 * redelivered one changes nothing there); a message that cannot be parsed or taken is dead-lettered.
 */
@ApplicationScoped
public class EvaluationEventsConsumer {
    static final String NAME = "evaluation.events consumer";
    static final String GROUP = "inference-gateway";

    private final EventConsumers consumers;
    private final Rollouts rollouts;

    public EvaluationEventsConsumer(EventConsumers consumers, Rollouts rollouts) {
        this.consumers = consumers;
        this.rollouts = rollouts;
    }

    void start(@Observes StartupEvent ignored) {
        consumers.start(NAME, Topics.EVALUATION_EVENTS, GROUP, event -> {
            if (event.data() instanceof EvaluationCompleted done) rollouts.onVerdict(done);
        });
    }
}
