package dev.anvil.gateway.rollout;

import dev.anvil.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks for due canary checks on every replica, often enough that a check runs within a second of being due (or a
 * tenth of the interval, if shorter); each due check is claimed by one replica ({@link Rollouts#checkDue}).
 */
@ApplicationScoped
public class RolloutSchedule {
    private static final Logger LOG = Logger.getLogger(RolloutSchedule.class);

    private final Rollouts rollouts;
    private final Duration tick;
    private ScheduledExecutorService thread;

    public RolloutSchedule(Rollouts rollouts, GatewayConfig config) {
        this.rollouts = rollouts;
        Duration tenth = config.rollout().interval().dividedBy(10);
        this.tick = tenth.compareTo(Duration.ofSeconds(1)) < 0 ? tenth : Duration.ofSeconds(1);
    }

    void start(@Observes StartupEvent ignored) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anvil-rollouts");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, tick.toMillis());
        thread.scheduleWithFixedDelay(this::checkDue, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (thread != null) thread.shutdownNow();
    }

    private void checkDue() {
        try {
            rollouts.checkDue();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return; // shutting down
            // The database is away: the checks stay due and the next tick tries again.
            LOG.warnf("canary checks wait (%s)", e.getMessage());
        }
    }
}
