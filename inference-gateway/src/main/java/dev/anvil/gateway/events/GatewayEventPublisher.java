package dev.anvil.gateway.events;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.background.Periodic;
import dev.anvil.service.kafka.EventProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Instant;
import java.util.List;

/**
 * Sends the {@link GatewayEvent} rows to their topics, keyed by their subject, right after the commit that wrote
 * them; one the broker did not acknowledge (an outage, a restart) is sent again on the next round. Every replica runs
 * rounds, so a consumer may see an event twice and, like every Anvil consumer, must be idempotent. One thread sends,
 * oldest first, so one subject's events leave in order.
 */
@ApplicationScoped
public class GatewayEventPublisher {
    private static final int BATCH = 100;

    private final EventProducer producer;
    private final TransactionSynchronizationRegistry transactions;
    private final GatewayConfig config;
    private Periodic rounds;

    public GatewayEventPublisher(EventProducer producer, TransactionSynchronizationRegistry transactions,
                                GatewayConfig config) {
        this.producer = producer;
        this.transactions = transactions;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        rounds = Periodic.every("anvil-gateway-events", config.events().publishInterval(), this::publishPending);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (rounds != null) rounds.close();
    }

    /** Publishes once the current transaction committed, rather than at the next round. */
    void publishAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED && rounds != null) rounds.wake();
            }
        });
    }

    /** A failure (the broker or the database away) leaves the rows unpublished for the next round (Periodic logs it). */
    private void publishPending() {
        List<GatewayEvent> pending = QuarkusTransaction.requiringNew().call(() -> GatewayEvent.<GatewayEvent>find(
                "publishedAt is null order by id").page(0, BATCH).list());
        for (GatewayEvent e : pending) {
            producer.send(e.topic, e.subject, e.payload, e.traceparent);
            QuarkusTransaction.requiringNew().run(() -> GatewayEvent.update("publishedAt = ?1 where id = ?2",
                    Instant.now(), e.id));
        }
    }
}
