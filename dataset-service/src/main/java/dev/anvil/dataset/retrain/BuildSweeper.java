package dev.anvil.dataset.retrain;

import dev.anvil.service.background.Periodic;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Resumes the retraining builds whose process died: an approved build runs inside the approval's request, which
 * nothing redelivers, so a row still BUILDING {@code build-timeout} after its last step would hold its route for good.
 * Sweeps at start-up (the usual moment after a crash) and then every minute, on a daemon thread of its own (service-
 * kit's Periodic, like the outbox relay). Every replica sweeps; the row lock lets one of them take each build.
 */
@ApplicationScoped
public class BuildSweeper {

    private static final Logger LOG = Logger.getLogger(BuildSweeper.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final Retrainings retrainings;
    private final Duration timeout;
    private Periodic sweeps;

    public BuildSweeper(Retrainings retrainings, RetrainingConfig config) {
        this.retrainings = retrainings;
        this.timeout = config.buildTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        sweeps = Periodic.every("retraining-build-sweeper", EVERY, Duration.ZERO, this::sweep);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sweeps != null) {
            sweeps.close();
        }
    }

    /** Builds again each retraining BUILDING with no step for {@code build-timeout}; answers how many it took. */
    public int sweep() {
        Instant cutoff = Retrainings.now().minus(timeout);
        List<String> stale = QuarkusTransaction.requiringNew().call(() -> Retraining.buildingSince(cutoff));
        int resumed = 0;
        for (String id : stale) {
            try {
                if (claim(id)) {
                    retrainings.build(id);
                    resumed++;
                }
            } catch (RuntimeException e) {
                // One build that cannot go on (its row, its folder) must not hold the others back; its claim made it
                // fresh, so it is tried again once build-timeout has passed.
                LOG.warnf(e, "retraining %s: the interrupted build could not be resumed", id);
            }
        }
        return resumed;
    }

    /**
     * Takes an interrupted build over, once across replicas: under the row's lock it must still be BUILDING and
     * still stale, and the step it adds moves updatedAt, so another sweeper waiting on the lock finds it fresh.
     */
    private boolean claim(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Retraining row = Retrainings.locked(id);
            Instant now = Retrainings.now();
            if (row.status != RetrainingStatus.BUILDING || !row.updatedAt.isBefore(now.minus(timeout))) {
                return false;
            }
            String why = "build resumed: no step since " + row.updatedAt + " (build-timeout " + timeout + ")";
            row.step(RetrainingStatus.BUILDING, why, null, now);
            LOG.infof("retraining %s on route %s: %s", row.id, row.route, why);
            return true;
        });
    }
}
