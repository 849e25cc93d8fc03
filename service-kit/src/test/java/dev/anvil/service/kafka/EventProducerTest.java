package dev.anvil.service.kafka;

import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.TrainingCancelled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared producer: the suite's settings, bounded waits, acknowledged sends on a real broker, and their count. */
class EventProducerTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyClientGetsTheSuitesSettingsWithTheDocumentedDefaults() {
        KafkaConfig defaults = KafkaTesting.config();
        Properties producer = KafkaClientSettings.producer("broker:9092", "some-service", defaults, Map.of());
        assertEquals("all", producer.get("acks"));
        assertEquals("true", producer.get("enable.idempotence"));
        assertEquals(10_000, producer.get("max.block.ms"));
        assertEquals(10_000, producer.get("request.timeout.ms"));
        assertEquals(30_000, producer.get("delivery.timeout.ms"));
        assertEquals("some-service", producer.get("client.id"));
        assertEquals(Duration.ofSeconds(2), defaults.retryPause());

        Properties consumer = KafkaClientSettings.consumer("broker:9092", "some-group", defaults, Map.of());
        assertEquals("false", consumer.get("enable.auto.commit"), "committed by the loop, after the handler");
        assertEquals("earliest", consumer.get("auto.offset.reset"));
        assertEquals("some-group", consumer.get("group.id"));
        assertEquals(30_000, consumer.get("default.api.timeout.ms"));
    }

    /** The service's kafka.* keys as Quarkus hands them over (prefix removed, its application name as group.id). */
    private static final Map<String, Object> SCRAM = Map.of("security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "org.apache.kafka.common.security.scram."
                    + "ScramLoginModule required username=\"some-service\" password=\"not-a-secret\";",
            "acks", "1", "group.id", "some-service");

    @Test
    void theServicesKafkaKeysReachEveryClientUnderTheSuitesOwnSettings() {
        KafkaConfig defaults = KafkaTesting.config();
        Properties producer = KafkaClientSettings.producer("broker:9092", "some-service", defaults, SCRAM);
        Properties consumer = KafkaClientSettings.consumer("broker:9092", "some-group", defaults, SCRAM);

        for (Properties client : List.of(producer, consumer)) {
            assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
            assertEquals(SCRAM.get("sasl.jaas.config"), client.get("sasl.jaas.config"));
        }
        assertEquals("all", producer.get("acks"), "the suite's durability is not configured away");
        assertFalse(producer.containsKey("group.id"), "a producer has no group");
        assertEquals("some-group", consumer.get("group.id"), "each consumer's own group, not the application's");
    }

    /** The settings reach the real clients: SASL without credentials stops both before they connect. */
    @Test
    void clientsAuthenticateAsTheServicesKafkaKeysSay() {
        Map<String, Object> noCredentials = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism",
                "SCRAM-SHA-512");
        EventProducer producer = new EventProducer("127.0.0.1:9", "kit-test", noCredentials, KafkaTesting.config(),
                registry, OpenTelemetry.noop());
        EventConsumers consumers = new EventConsumers("127.0.0.1:9", noCredentials, KafkaTesting.config(), producer,
                registry, OpenTelemetry.noop());
        try {
            KafkaException send = assertThrows(KafkaException.class, () -> producer.send("anywhere", "k", "v"));
            KafkaException consume = assertThrows(KafkaException.class,
                    () -> consumers.start("test", "anywhere", "some-group", event -> { }));
            for (KafkaException refused : List.of(send, consume)) {
                String causes = Stream.iterate((Throwable) refused, Objects::nonNull, Throwable::getCause)
                        .map(Throwable::toString).collect(Collectors.joining(" <- "));
                assertTrue(causes.contains("JAAS"), causes);
            }
        } finally {
            producer.close();
        }
    }

    @Test
    void aDeliveryTimeoutShorterThanARequestIsRefused() {
        KafkaConfig wrong = KafkaTesting.config("anvil.kafka.delivery-timeout", "PT1S");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientSettings.producer("broker:9092", "x", wrong, Map.of()));
        assertTrue(e.getMessage().contains("anvil.kafka.delivery-timeout"), e.getMessage());
    }

    @Test
    void aSendWithoutABrokerFailsWithinTheTimeouts() {
        KafkaConfig quick = KafkaTesting.config("anvil.kafka.max-block", "PT1S",
                "anvil.kafka.request-timeout", "PT1S", "anvil.kafka.delivery-timeout", "PT1S");
        EventProducer producer = new EventProducer("127.0.0.1:9", "kit-test", quick, registry);
        try {
            long started = System.nanoTime();
            assertThrows(IllegalStateException.class, () -> producer.send("anywhere", "k", "v"));
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(took < 5_000, "gave up after " + took + " ms");
            assertEquals(1, produced("anywhere", "failed"));
            assertEquals(0, produced("anywhere", "sent"));
        } finally {
            producer.close();
        }
    }

    @Test
    void publishReturnsOnceTheBrokerHasTheEventKeyedByItsSubject() {
        String jobId = "job-" + UUID.randomUUID();
        EventProducer producer = new EventProducer(InProcessKafka.bootstrapServers(), "kit-test",
                KafkaTesting.config(), registry);
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            producer.publish("anvil/test", new TrainingCancelled(jobId, 7));
            ConsumerRecord<String, String>[] found = new ConsumerRecord[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(r.key())) found[0] = r;
                }
                return found[0] != null;
            });
            TrainingCancelled event = EventCodec.fromJson(found[0].value()).dataAs(TrainingCancelled.class);
            assertEquals(7, event.step());
            assertEquals(1, produced(Topics.TRAINING_EVENTS, "sent"));
        } finally {
            producer.close();
        }
    }

    /** {@code anvil.kafka.produced{topic, outcome}}; 0 when never counted. */
    private double produced(String topic, String outcome) {
        Counter counter = registry.find(EventProducer.PRODUCED).tags("topic", topic, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
