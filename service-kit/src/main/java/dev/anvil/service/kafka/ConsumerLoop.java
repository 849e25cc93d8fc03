package dev.anvil.service.kafka;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.InvalidEventException;
import dev.anvil.service.kafka.ConsumerMeters.Outcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One topic read on a thread of its own, one record at a time per partition, in order. A record's offset is
 * committed only after its handler returned (or it was dead-lettered), so a crash redelivers it. A record whose
 * handling fails is neither committed nor skipped: its partition is rewound to it and it is tried again after a
 * pause. Every record's outcome and handling time are counted ({@link ConsumerMeters}), and each handling runs in a
 * CONSUMER span of the sender's trace ({@link KafkaTracing}), current while the handler runs, so that what it writes
 * and sends continues that trace. Started and stopped through {@link EventConsumers}.
 */
public final class ConsumerLoop {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration JOIN = Duration.ofSeconds(30);

    private final String name;
    private final String topic;
    private final String group;
    private final Consumer<String, String> consumer;
    private final EventHandler handler;
    private final EventProducer deadLetters;
    private final Duration retryPause;
    private final ConsumerMeters meters;
    private final KafkaTracing tracing;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;

    ConsumerLoop(String name, String topic, String group, Consumer<String, String> consumer, EventHandler handler,
                 EventProducer deadLetters, Duration retryPause, ConsumerMeters meters, KafkaTracing tracing) {
        this.name = name;
        this.topic = topic;
        this.group = group;
        this.consumer = consumer;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.retryPause = retryPause;
        this.meters = meters;
        this.tracing = tracing;
        this.thread = new Thread(this::run, name);
    }

    void start() {
        thread.start();
    }

    public String name() {
        return name;
    }

    /** Whether the loop still reads: false once stopped, or once an unexpected error ended it. */
    public boolean isAlive() {
        return stopping.getCount() > 0 && thread.isAlive();
    }

    /** Stops reading: wakes the consumer out of its poll (or pause), and waits for the current record to finish. */
    void stop() throws InterruptedException {
        stopping.countDown();
        consumer.wakeup();
        thread.join(JOIN.toMillis());
    }

    private void run() {
        try (consumer) {
            consumer.subscribe(List.of(topic));
            while (stopping.getCount() > 0) {
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                boolean retry = false;
                for (TopicPartition partition : records.partitions()) {
                    retry |= !handleInOrder(partition, records.records(partition));
                }
                if (retry && stopping.await(retryPause.toMillis(), TimeUnit.MILLISECONDS)) return;
            }
        } catch (WakeupException e) {
            if (stopping.getCount() > 0) LOG.errorf(e, "%s: woken up unexpectedly; stopped", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Uncommitted records go to the next consumer of the group; readiness reports this one down.
            LOG.errorf(e, "%s stopped", name);
        }
    }

    /** @return whether every record was handled and committed */
    private boolean handleInOrder(TopicPartition partition, List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            try {
                handle(record);
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s: could not handle %s@%d; retrying in %s", name, partition, record.offset(),
                        retryPause);
                rewind(partition, record.offset());
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<String, String> record) {
        long started = System.nanoTime();
        Outcome outcome = Outcome.FAILED; // unless one of the ways below completes
        RuntimeException failure = null;
        Span span = tracing.startProcess(record, group);
        try (Scope ignored = span.makeCurrent()) {
            outcome = handleOrDeadLetter(record);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            KafkaTracing.processed(span, outcome, failure);
            meters.record(outcome, started);
        }
    }

    /** Both ways inside the span's scope, which a catch clause of its try-with-resources would already be out of. */
    private Outcome handleOrDeadLetter(ConsumerRecord<String, String> record) {
        try {
            Envelope event = EventCodec.fromJson(record.value());
            handler.handle(event);
            return Outcome.HANDLED;
        } catch (InvalidEventException e) {
            // The reason is the codec's, which quotes no raw control characters and no values beyond the field.
            LOG.warnf("%s: dead-lettering %s-%d@%d: %s", name, record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            deadLetters.deadLetter(record, e.getMessage());
            return Outcome.DEAD_LETTERED;
        }
    }

    /** Back to the failed record, unless a rebalance gave its partition to another consumer (which reads it). */
    private void rewind(TopicPartition partition, long offset) {
        if (consumer.assignment().contains(partition)) consumer.seek(partition, offset);
    }
}
