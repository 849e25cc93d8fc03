package dev.anvil.trainer.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reading one job's messages off {@code training.events} in the service tests. */
public final class TrainingEvents {

    private TrainingEvents() {
    }

    /**
     * Polls {@code events} for {@code subject}'s messages into {@code seen}, in arrival order, until one matches
     * {@code last}; fails naming what it saw when none does within {@code timeout}.
     */
    public static void awaitEvent(KafkaConsumer<String, String> events, String subject, List<Envelope> seen,
                                  Predicate<Envelope> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(500))) {
                Envelope e = EventCodec.fromJson(r.value());
                if (!subject.equals(e.subject())) continue;
                seen.add(e);
                if (last.test(e)) return;
            }
        }
        throw new AssertionError("no matching event for " + subject + " within " + timeout + "; saw " + seen);
    }
}
