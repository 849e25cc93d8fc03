package dev.anvil.service.kafka;

import dev.anvil.events.DeadLetters;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.service.tracing.Traceparent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's one Kafka producer ({@link KafkaClientSettings#producer}). Every send waits for the broker's
 * acknowledgement: a message the caller went past is on the broker, and one that is not fails the caller within
 * the configured timeouts. The client is created on first use, so a service starts while Kafka is away. Every
 * send is counted in {@value #PRODUCED}{@code {topic, outcome=sent|failed}} (docs/metrics.md), and traced: a
 * PRODUCER span in the current trace whose context travels in the record's headers (docs/tracing.md), so that the
 * consumer's handling continues the trace.
 */
@ApplicationScoped
public class EventProducer {
    static final String PRODUCED = "anvil.kafka.produced";
    /** The service's {@code kafka.*} configuration, as Quarkus's Kafka extension provides it to every client. */
    static final String QUARKUS_KAFKA_CONFIG = "default-kafka-broker";

    private final String bootstrapServers;
    private final String clientId;
    private final Map<String, Object> clientConfig;
    private final KafkaConfig config;
    private final MeterRegistry registry;
    private final KafkaTracing tracing;
    private Producer<String, String> producer;

    @Inject
    public EventProducer(@ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
                         String bootstrapServers,
                         @ConfigProperty(name = "quarkus.application.name", defaultValue = "anvil") String clientId,
                         @Identifier(QUARKUS_KAFKA_CONFIG) Map<String, Object> clientConfig,
                         KafkaConfig config, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId;
        this.clientConfig = Map.copyOf(clientConfig);
        this.config = config;
        this.registry = registry;
        this.tracing = new KafkaTracing(openTelemetry);
    }

    /** A producer that carries no trace and no other client settings (tools, tests of other things). */
    public EventProducer(String bootstrapServers, String clientId, KafkaConfig config, MeterRegistry registry) {
        this(bootstrapServers, clientId, Map.of(), config, registry, OpenTelemetry.noop());
    }

    /** Wraps {@code data} in a new envelope from {@code source} and sends it on its type's topic, keyed by subject. */
    public Envelope publish(String source, EventData data) {
        Envelope envelope = Envelope.wrap(source, data);
        send(EventCodec.toRecord(envelope));
        return envelope;
    }

    /**
     * Like {@link #publish(String, EventData)}, in the trace {@code traceparent} names (as {@link
     * Traceparent#current()} gave it when the row that asks for the event was written; null: a new trace).
     */
    public Envelope publish(String source, EventData data, String traceparent) {
        try (Scope ignored = Traceparent.context(traceparent).makeCurrent()) {
            return publish(source, data);
        }
    }

    /** Sends an already written message (an outbox row, say). */
    public void send(String topic, String key, String value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    /**
     * Sends an already written message in the trace it was written in: {@code traceparent} as {@link
     * Traceparent#current()} gave it when the row was written, or null to start a new trace. What an outbox relay
     * calls, from a thread outside any trace.
     */
    public void send(String topic, String key, String value, String traceparent) {
        try (Scope ignored = Traceparent.context(traceparent).makeCurrent()) {
            send(topic, key, value);
        }
    }

    /** Moves a consumed message to {@code <topic>.dlq} with the reason ({@link DeadLetters}). */
    public void deadLetter(ConsumerRecord<String, String> record, String reason) {
        send(DeadLetters.record(record.topic(), record.key(), record.value(), reason));
    }

    /**
     * Sends and waits for the acknowledgement.
     *
     * @throws IllegalStateException when the broker did not acknowledge it in time (the interrupt flag is kept)
     */
    public void send(ProducerRecord<String, String> record) {
        boolean sent = false;
        Span span = tracing.startSend(record);
        Throwable failure = null;
        try {
            // The client's own timeouts end the future; the wait is bounded too in case they are misconfigured.
            RecordMetadata metadata = producer().send(tracing.withContext(record, span))
                    .get(config.maxBlock().plus(config.deliveryTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            KafkaTracing.sent(span, metadata);
            sent = true;
        } catch (InterruptedException e) {
            failure = e;
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException e) {
            failure = e.getCause();
            throw new IllegalStateException("could not send to " + record.topic() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            failure = e;
            throw new IllegalStateException("could not send to " + record.topic() + " in time: " + e, e);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            KafkaTracing.ended(span, failure);
            // Looked up per send: the topics are the contract's few (and their dead-letter topics).
            Counter.builder(PRODUCED).description("Kafka records sent, by outcome")
                    .tags("topic", record.topic(), "outcome", sent ? "sent" : "failed").register(registry).increment();
        }
    }

    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(KafkaClientSettings.producer(bootstrapServers, clientId, config,
                    clientConfig),
                    new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
