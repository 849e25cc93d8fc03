package dev.anvil.service.kafka;

import dev.anvil.events.DeadLetters;
import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingRequested;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared consumer loop on a real broker: commit after success, retry in place, dead letters, shutdown, and the
 * meters that count them.
 */
class ConsumerLoopTest {
    private static final Duration PAUSE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaConfig config = KafkaTesting.config("anvil.kafka.retry-pause", "PT0.3S");
    private final String group = "kit-" + UUID.randomUUID();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private String topic;
    private EventProducer producer;
    private EventConsumers consumers;

    @BeforeEach
    void start() throws Exception {
        topic = KafkaTesting.newTopic();
        producer = new EventProducer(InProcessKafka.bootstrapServers(), "kit-test", config, registry);
        consumers = new EventConsumers(InProcessKafka.bootstrapServers(), config, producer, registry);
    }

    @AfterEach
    void stop() throws InterruptedException {
        consumers.stopAll(null);
        producer.close();
    }

    private void send(String key, String value) {
        producer.send(topic, key, value);
    }

    private void sendCancelled(String jobId) {
        send(jobId, KafkaTesting.json(new TrainingCancelled(jobId, 1)));
    }

    private ConsumerLoop startRecording() {
        return consumers.start("kit-test consumer", topic, group, event -> handled.add(event.subject()));
    }

    @Test
    void eachRecordIsCommittedAfterItsHandlerReturnedAndNotReadAgain() throws Exception {
        for (int i = 0; i < 3; i++) sendCancelled("job-" + i);
        ConsumerLoop loop = startRecording();
        await().atMost(WAIT).until(() -> KafkaTesting.committed(group, topic) == 3);
        assertEquals(List.of("job-0", "job-1", "job-2"), handled);
        assertTrue(loop.isAlive());

        consumers.stopAll(null);
        assertFalse(loop.isAlive());
        sendCancelled("job-3");
        startRecording();
        await().atMost(WAIT).until(() -> KafkaTesting.committed(group, topic) == 4);
        assertEquals(List.of("job-0", "job-1", "job-2", "job-3"), handled, "a committed record is not read again");
    }

    @Test
    void aFailedRecordIsRetriedInPlaceAfterThePauseAndNothingIsSkipped() throws Exception {
        for (int i = 0; i < 3; i++) sendCancelled("job-" + i);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Long> attempts = new CopyOnWriteArrayList<>();
        consumers.start("kit-test consumer", topic, group, event -> {
            if (event.subject().equals("job-1")) {
                attempts.add(System.nanoTime());
                if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("database down");
            }
            handled.add(event.subject());
        });
        await().atMost(WAIT).until(() -> KafkaTesting.committed(group, topic) == 3);

        assertEquals(List.of("job-0", "job-1", "job-2"), handled, "in order, none skipped, none twice");
        assertEquals(3, attempts.size(), "two failures, then success");
        assertEquals(3, consumed("handled"));
        assertEquals(2, consumed("failed"), "each failed attempt");
        assertEquals(0, consumed("dead-lettered"));
        assertEquals(5, handling().count(), "every attempt timed");
        for (int i = 1; i < attempts.size(); i++) {
            long gap = Duration.ofNanos(attempts.get(i) - attempts.get(i - 1)).toMillis();
            assertTrue(gap >= PAUSE.toMillis() - 50, "retried after the pause, not in a busy loop: " + gap + " ms");
        }
    }

    @Test
    void aMessageAtFaultIsDeadLetteredWithTheReasonAndConsumptionGoesOn() throws Exception {
        send("garbage", "{\"type\":");
        send("wrong-type", KafkaTesting.json(new TrainingCancelled("wrong-type", 1)));
        send("job-1", KafkaTesting.json(new TrainingRequested("job-1", "model", new DatasetRef("d", "v"), null,
                null)));
        consumers.start("kit-test consumer", topic, group,
                event -> handled.add(event.dataAs(TrainingRequested.class).jobId()));
        await().atMost(WAIT).until(() -> KafkaTesting.committed(group, topic) == 3);
        assertEquals(List.of("job-1"), handled);

        List<ConsumerRecord<String, String>> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> dlq = InProcessKafka.consumer(Topics.deadLetter(topic))) {
            await().atMost(WAIT).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
                return letters.size() >= 2;
            });
        }
        assertEquals("{\"type\":", letters.get(0).value(), "the message itself, unchanged");
        assertEquals(1, consumed("handled"));
        assertEquals(2, consumed("dead-lettered"));
        assertEquals(0, consumed("failed"));
        assertEquals(2, registry.get(EventProducer.PRODUCED).tags("topic", Topics.deadLetter(topic), "outcome", "sent")
                .counter().count(), "the dead letters' sends");
        assertTrue(reason(letters.get(0)).startsWith("not JSON"), reason(letters.get(0)));
        assertEquals(topic, header(letters.get(0), DeadLetters.TOPIC_HEADER));
        assertEquals("wrong-type", letters.get(1).key());
        assertEquals("expected a TrainingRequested message but got TrainingCancelled", reason(letters.get(1)));
    }

    @Test
    void stoppingEndsTheLoopAtOnceEvenDuringARetryPause() throws Exception {
        KafkaConfig slow = KafkaTesting.config("anvil.kafka.retry-pause", "PT60S");
        EventConsumers patient = new EventConsumers(InProcessKafka.bootstrapServers(), slow, producer, registry);
        AtomicInteger attempts = new AtomicInteger();
        sendCancelled("job-0");
        ConsumerLoop loop = patient.start("kit-test consumer", topic, group, event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("broker down");
        });
        await().atMost(WAIT).until(() -> attempts.get() == 1);

        long started = System.nanoTime();
        patient.stopAll(null);
        assertFalse(loop.isAlive());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10, "did not sit out the pause");
        assertEquals(1, attempts.get());
        assertEquals(-1, KafkaTesting.committed(group, topic), "the failed record stays uncommitted");
    }

    @Test
    void aLoopsMetersExistFromZeroBeforeItsFirstRecord() throws Exception {
        startRecording();
        for (String outcome : List.of("handled", "dead-lettered", "failed")) assertEquals(0, consumed(outcome));
        assertEquals(0, handling().count());
    }

    /** {@code anvil.kafka.consumed} of this test's topic with {@code outcome}. */
    private double consumed(String outcome) {
        return registry.get(ConsumerMeters.CONSUMED).tags("topic", topic, "outcome", outcome).counter().count();
    }

    private Timer handling() {
        return registry.get(ConsumerMeters.HANDLING).tag("topic", topic).timer();
    }

    private static String reason(ConsumerRecord<String, String> letter) {
        return header(letter, DeadLetters.REASON_HEADER);
    }

    private static String header(ConsumerRecord<String, String> letter, String name) {
        return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
