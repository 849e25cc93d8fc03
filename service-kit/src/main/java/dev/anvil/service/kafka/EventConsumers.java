package dev.anvil.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the service's {@link ConsumerLoop}s with the shared settings, meters ({@link ConsumerMeters}) and tracing
 * ({@link KafkaTracing}), and stops them all on shutdown.
 */
@ApplicationScoped
public class EventConsumers {

    private final String bootstrapServers;
    private final Map<String, Object> clientConfig;
    private final KafkaConfig config;
    private final EventProducer producer;
    private final MeterRegistry registry;
    private final KafkaTracing tracing;
    private final List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();

    @Inject
    public EventConsumers(@ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
                          String bootstrapServers,
                          @Identifier(EventProducer.QUARKUS_KAFKA_CONFIG) Map<String, Object> clientConfig,
                          KafkaConfig config, EventProducer producer,
                          MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfig = Map.copyOf(clientConfig);
        this.config = config;
        this.producer = producer;
        this.registry = registry;
        this.tracing = new KafkaTracing(openTelemetry);
    }

    /**
     * Consumers whose handling starts no span and continues no trace, without other client settings (tools, tests
     * of other things).
     */
    public EventConsumers(String bootstrapServers, KafkaConfig config, EventProducer producer,
                          MeterRegistry registry) {
        this(bootstrapServers, Map.of(), config, producer, registry, OpenTelemetry.noop());
    }

    /**
     * Reads {@code topic} as member of {@code groupId} on a new thread called {@code name}, handing each parsed
     * message to {@code handler} inside a span of the sender's trace; unparsable ones go to {@code <topic>.dlq}
     * with the reason.
     */
    public ConsumerLoop start(String name, String topic, String groupId, EventHandler handler) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                KafkaClientSettings.consumer(bootstrapServers, groupId, config, clientConfig),
                new StringDeserializer(), new StringDeserializer());
        ConsumerLoop loop = new ConsumerLoop(name, topic, groupId, consumer, handler, producer, config.retryPause(),
                new ConsumerMeters(registry, topic), tracing);
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
