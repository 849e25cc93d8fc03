package dev.anvil.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the service's {@link ConsumerLoop}s with the shared settings and meters ({@link ConsumerMeters}), and
 * stops them all on shutdown.
 */
@ApplicationScoped
public class EventConsumers {

    private final String bootstrapServers;
    private final KafkaConfig config;
    private final EventProducer producer;
    private final MeterRegistry registry;
    private final List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();

    public EventConsumers(@ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
                          String bootstrapServers, KafkaConfig config, EventProducer producer,
                          MeterRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.producer = producer;
        this.registry = registry;
    }

    /**
     * Reads {@code topic} as member of {@code groupId} on a new thread called {@code name}, handing each parsed
     * message to {@code handler}; unparsable ones go to {@code <topic>.dlq} with the reason.
     */
    public ConsumerLoop start(String name, String topic, String groupId, EventHandler handler) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                KafkaClientSettings.consumer(bootstrapServers, groupId, config),
                new StringDeserializer(), new StringDeserializer());
        ConsumerLoop loop = new ConsumerLoop(name, topic, consumer, handler, producer, config.retryPause(),
                new ConsumerMeters(registry, topic));
        loops.add(loop);
        loop.start();
        return loop;
    }

    /** The loops started so far, for health checks. */
    public List<ConsumerLoop> loops() {
        return List.copyOf(loops);
    }

    /** Before the producer goes away: a record being handled may still publish. */
    void stopAll(@Observes ShutdownEvent ignored) throws InterruptedException {
        for (ConsumerLoop loop : loops) {
            loop.stop();
        }
        loops.clear();
    }
}
