package dev.anvil.gateway.route;

import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.kafka.EventProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes each change of a route once as {@link TrafficSplitChanged} on {@code model.events}, keyed by the route.
 * The change row is its own outbox: a change is announced exactly when it was committed, and one the broker did not
 * acknowledge (an outage, a restart) is sent again on the next round. Every replica runs a round, so a consumer may
 * see a change twice and, like every Anvil consumer, must be idempotent. One thread sends, oldest first, so one
 * route's changes leave in order.
 */
@ApplicationScoped
public class RouteChangePublisher {
    private static final Logger LOG = Logger.getLogger(RouteChangePublisher.class);
    static final String SOURCE = "inference-gateway";
    private static final int BATCH = 100;

    private final EventProducer producer;
    private final TransactionSynchronizationRegistry transactions;
    private final GatewayConfig config;
    private ScheduledExecutorService thread;

    public RouteChangePublisher(EventProducer producer, TransactionSynchronizationRegistry transactions,
                                GatewayConfig config) {
        this.producer = producer;
        this.transactions = transactions;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anvil-route-changes");
            t.setDaemon(true);
            return t;
        });
        long every = config.events().publishInterval().toMillis();
        thread.scheduleWithFixedDelay(this::publishPending, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (thread != null) thread.shutdownNow();
    }

    /** Publishes once the current transaction committed, rather than at the next round. */
    void wakeAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED && thread != null) thread.execute(RouteChangePublisher.this::publishPending);
            }
        });
    }

    private void publishPending() {
        try {
            List<RouteChange> pending = QuarkusTransaction.requiringNew().call(() -> RouteChange.<RouteChange>find(
                    "publishedAt is null order by id").page(0, BATCH).list());
            for (RouteChange c : pending) {
                producer.publish(SOURCE, new TrafficSplitChanged(c.route, c.sharesMap(), c.reason));
                QuarkusTransaction.requiringNew().run(() -> RouteChange.update("publishedAt = ?1 where id = ?2",
                        Instant.now(), c.id));
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return; // shutting down
            // The broker or the database is away: the rows stay unpublished and the next round tries again.
            LOG.warnf("model.events: publishing waits (%s)", e.getMessage());
        }
    }
}
