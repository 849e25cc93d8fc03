package dev.anvil.trainer.job;

import dev.anvil.events.DeadLetters;
import dev.anvil.events.EventCodec;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.Topics;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads {@code training.requests} on a thread of its own and hands each request to {@link JobService}. The offset
 * is committed only after the job is recorded (or the message dead-lettered), so a crash redelivers the request and
 * the job id keeps that harmless.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    private static final Logger LOG = Logger.getLogger(TrainingRequestConsumer.class);
    static final String GROUP = "trainer-service";
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final JobService jobs;
    private final TrainingEventPublisher publisher;
    private final String bootstrapServers;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private volatile Thread thread;

    public TrainingRequestConsumer(JobService jobs, TrainingEventPublisher publisher,
                                   @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.jobs = jobs;
        this.publisher = publisher;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent ignored) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        running = true;
        thread = new Thread(this::loop, "training-requests-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        if (consumer != null) consumer.wakeup();
        if (thread != null) thread.join(10_000);
    }

    /** Whether the consumer thread is running (it stops on shutdown, or when an unexpected error ends it). */
    boolean isAlive() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    private void loop() {
        try (KafkaConsumer<String, String> c = consumer) {
            c.subscribe(List.of(Topics.TRAINING_REQUESTS));
            while (running) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                boolean retry = false;
                for (TopicPartition partition : records.partitions()) {
                    retry |= !handleInOrder(c, partition, records.records(partition));
                }
                if (retry) Thread.sleep(RETRY_PAUSE.toMillis());
            }
        } catch (WakeupException e) {
            if (running) throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Uncommitted records are redelivered to the next consumer of the group.
            LOG.error("training.requests consumer stopped", e);
        }
    }

    /**
     * Handles one partition's records in order, committing each. A record whose handling fails (database or broker
     * unavailable) is neither committed nor skipped: the partition is rewound to it and it is tried again after a
     * pause.
     *
     * @return whether every record was handled
     */
    private boolean handleInOrder(KafkaConsumer<String, String> c, TopicPartition partition,
                                  List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            try {
                handle(record);
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not handle %s@%d; retrying", partition, record.offset());
                c.seek(partition, record.offset());
                return false;
            }
            c.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
        return true;
    }

    private void handle(ConsumerRecord<String, String> record) {
        TrainingRequested request;
        try {
            request = EventCodec.fromJson(record.value()).dataAs(TrainingRequested.class);
        } catch (InvalidEventException e) {
            LOG.warnf("dead-lettering %s@%d: %s", record.topic(), record.offset(), e.getMessage());
            DeadLetters.send(publisher.producer(), record.topic(), record.key(), record.value(), e.getMessage());
            return;
        }
        jobs.accept(request);
    }

}
