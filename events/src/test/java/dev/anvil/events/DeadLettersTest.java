package dev.anvil.events;

import dev.anvil.events.testing.InProcessKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dead letters travel through a real broker unchanged, with the reason and origin in headers. */
class DeadLettersTest {

    @Test
    void unparseableMessageGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        String garbage = "{\"type\":\"TrainingRequested\",\"data\":";
        String reason = assertThrowsMessage(garbage);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> consumer = InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_REQUESTS))) {
            producer.send(DeadLetters.record(Topics.TRAINING_REQUESTS, "job-1", garbage, reason)).get();
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            assertEquals(1, received.size());
            ConsumerRecord<String, String> letter = received.get(0);
            assertEquals("training.requests.dlq", letter.topic());
            assertEquals("job-1", letter.key());
            assertEquals(garbage, letter.value());
            assertEquals(reason, header(letter, DeadLetters.REASON_HEADER));
            assertEquals("training.requests", header(letter, DeadLetters.TOPIC_HEADER));
        }
    }

    @Test
    void reasonIsBounded() {
        String reason = "x".repeat(10_000);
        var record = DeadLetters.record("dataset.events", null, "v", reason);
        assertEquals(2_000, record.headers().lastHeader(DeadLetters.REASON_HEADER).value().length);
    }

    private static String assertThrowsMessage(String json) {
        try {
            EventCodec.fromJson(json);
        } catch (InvalidEventException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the message to be rejected");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
