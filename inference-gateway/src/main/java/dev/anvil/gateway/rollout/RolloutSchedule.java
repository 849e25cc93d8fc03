package dev.anvil.gateway.rollout;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.background.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * Looks for due canary checks on every replica, often enough that a check runs within a second of being due (or a
 * tenth of the interval, if shorter); each due check is claimed by one replica ({@link Rollouts#checkDue}).
 */
@ApplicationScoped
public class RolloutSchedule {
    private final Rollouts rollouts;
    private final Duration tick;
    private Periodic ticks;

    public RolloutSchedule(Rollouts rollouts, GatewayConfig config) {
        this.rollouts = rollouts;
        Duration tenth = config.rollout().interval().dividedBy(10);
        this.tick = tenth.compareTo(Duration.ofSeconds(1)) < 0 ? tenth : Duration.ofSeconds(1);
    }

    void start(@Observes StartupEvent ignored) {
        ticks = Periodic.every("anvil-rollouts", tick, rollouts::checkDue);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (ticks != null) ticks.close();
    }
}
