package dev.anvil.dataset.outbox;

import dev.anvil.service.background.Periodic;
import dev.anvil.service.kafka.EventProducer;
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
 * Delivers outbox messages to Kafka and marks them sent. One thread does all relaying, so messages leave in the
 * order they were written; a failed send stops the pass and the message is retried on the next one. Delivery is
 * at least once (a crash between the broker's ack and the mark resends it); consumers are idempotent. Each message
 * is sent in the trace it was written in, from its saved traceparent.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EventProducer publisher;
    private final Duration interval;
    private final int batchSize;
    private Periodic relay;

    public OutboxRelay(EventProducer publisher, OutboxConfig config) {
        this.publisher = publisher;
        this.interval = config.relayInterval();
        this.batchSize = config.batchSize();
    }

    void onStart(@Observes StartupEvent event) {
        relay = Periodic.every("outbox-relay", interval, Duration.ZERO, this::relayPending);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }

    /** Asks for a pass now (after a commit) instead of at the next tick. */
    public void wakeUp() {
        if (relay != null) {
            relay.wake();
        }
    }

    private void relayPending() {
        try {
            List<OutboxMessage> batch;
            do {
                batch = QuarkusTransaction.requiringNew().call(() -> OutboxMessage.pending(batchSize));
                for (OutboxMessage message : batch) {
                    publisher.send(message.topic, message.key, message.payload, message.traceparent);
                    QuarkusTransaction.requiringNew().run(() -> OutboxMessage.update(
                            "sentAt = ?1 where id = ?2", Instant.now(), message.id));
                }
            } while (batch.size() == batchSize);
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt(); // shutting down
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return; // shutting down
            LOG.warnf("outbox relay: delivery failed, will retry in %s: %s", interval, e.toString());
        }
    }
}
