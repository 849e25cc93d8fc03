package dev.anvil.service.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every started consumer loop reads: a stopped one never picks up its messages again. Each loop
 * is listed by name. (A service without consumers is ready as far as this check goes.)
 */
@Readiness
@ApplicationScoped
public class KafkaConsumersReadiness implements HealthCheck {
    public static final String NAME = "kafka consumers";

    private final EventConsumers consumers;

    public KafkaConsumersReadiness(EventConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (ConsumerLoop loop : consumers.loops()) {
            boolean alive = loop.isAlive();
            response.withData(loop.name(), alive ? "UP" : "DOWN");
            if (!alive) response.down();
        }
        return response.build();
    }
}
