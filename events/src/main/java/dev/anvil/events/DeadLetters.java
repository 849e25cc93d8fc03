package dev.anvil.events;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Moves a message that cannot be handled to {@code <topic>.dlq}, unchanged, with the reason in a header, so that
 * consumption goes on and nothing accepted is lost: the message can be inspected and replayed. The services send
 * it through service-kit's {@code EventProducer#deadLetter}.
 */
public final class DeadLetters {
    public static final String REASON_HEADER = "anvil.dlq.reason";
    public static final String TOPIC_HEADER = "anvil.dlq.topic";
    private static final int MAX_REASON_LENGTH = 2_000;

    private DeadLetters() {
    }

    /** The dead-letter record for a message read from {@code topic}. */
    public static ProducerRecord<String, String> record(String topic, String key, String value, String reason) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.deadLetter(topic), key, value);
        String bounded = reason == null ? "unknown" : reason.length() > MAX_REASON_LENGTH
                ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        record.headers().add(REASON_HEADER, bounded.getBytes(StandardCharsets.UTF_8));
        record.headers().add(TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
