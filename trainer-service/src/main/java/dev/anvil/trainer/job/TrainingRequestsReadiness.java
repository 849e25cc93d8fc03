package dev.anvil.trainer.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the {@code training.requests} consumer thread runs: without it no request is ever picked up.
 * (The database's readiness is Quarkus's own datasource check.)
 */
@Readiness
@ApplicationScoped
public class TrainingRequestsReadiness implements HealthCheck {
    static final String NAME = "training.requests consumer";

    private final TrainingRequestConsumer consumer;

    public TrainingRequestsReadiness(TrainingRequestConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(consumer.isAlive()).build();
    }
}
