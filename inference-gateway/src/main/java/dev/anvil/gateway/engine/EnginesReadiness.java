package dev.anvil.gateway.engine;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every configured base model has loaded; a model that failed keeps the gateway out of rotation. */
@Readiness
@ApplicationScoped
public class EnginesReadiness implements HealthCheck {
    private final Engines engines;

    public EnginesReadiness(Engines engines) {
        this.engines = engines;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("base models");
        boolean up = true;
        for (var e : engines.states().entrySet()) {
            response.withData(e.getKey(), e.getValue().name().toLowerCase(java.util.Locale.ROOT));
            up &= e.getValue() == Engines.State.READY;
        }
        return response.status(up).build();
    }
}
