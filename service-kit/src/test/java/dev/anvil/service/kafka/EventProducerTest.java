package dev.anvil.service.kafka;

import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.TrainingCancelled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared producer: the suite's settings, bounded waits, acknowledged sends on a real broker, and their count. */
class EventProducerTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyClientGetsTheSuitesSettingsWithTheDocumentedDefaults() {
        KafkaConfig defaults = KafkaTesting.config();
        Properties producer = KafkaClientSettings.producer("broker:9092", "some-service", defaults);
        assertEquals("all", producer.get("acks"));
        assertEquals("true", producer.get("enable.idempotence"));
        assertEquals(10_000, producer.get("max.block.ms"));
        assertEquals(10_000, producer.get("request.timeout.ms"));
        assertEquals(30_000, producer.get("delivery.timeout.ms"));
        assertEquals("some-service", producer.get("client.id"));
        assertEquals(Duration.ofSeconds(2), defaults.retryPause());

        Properties consumer = KafkaClientSettings.consumer("broker:9092", "some-group", defaults);
        assertEquals("false", consumer.get("enable.auto.commit"), "committed by the loop, after the handler");
        assertEquals("earliest", consumer.get("auto.offset.reset"));
        assertEquals("some-group", consumer.get("group.id"));
        assertEquals(30_000, consumer.get("default.api.timeout.ms"));
    }

    @Test
    void aDeliveryTimeoutShorterThanARequestIsRefused() {
        KafkaConfig wrong = KafkaTesting.config("anvil.kafka.delivery-timeout", "PT1S");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientSettings.producer("broker:9092", "x", wrong));
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
