package dev.anvil.dataset.outbox;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The plain Kafka producer of the relay: acks from all replicas, idempotent, created on first use. */
@ApplicationScoped
public class KafkaPublisher {

    private final String bootstrapServers;
    private final Duration sendTimeout;
    private KafkaProducer<String, String> producer;

    public KafkaPublisher(@ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
                          String bootstrapServers, OutboxConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.sendTimeout = config.sendTimeout();
    }

    /** Sends one message and waits for the broker's acknowledgement, at most the configured send timeout. */
    public void send(String topic, String key, String value)
            throws ExecutionException, InterruptedException, TimeoutException {
        producer().send(new ProducerRecord<>(topic, key, value)).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "dataset-service-outbox");
            // A send must give up within the relay's timeout so an outage does not wedge the relay thread.
            int timeout = (int) sendTimeout.toMillis();
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout + 1);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // While the broker is away, reconnect (and log about it) every few seconds rather than every 1 s.
            props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
