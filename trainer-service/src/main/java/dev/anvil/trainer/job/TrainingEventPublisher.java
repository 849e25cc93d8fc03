package dev.anvil.trainer.job;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Publishes the trainer's messages, each keyed by its subject (the job id) so one job's events stay ordered, and
 * waits for the broker's acknowledgement (acks=all): an event the caller went past is on the broker. Once there,
 * it also goes to this process's live event streams.
 */
@ApplicationScoped
public class TrainingEventPublisher {
    static final String SOURCE = "anvil/trainer-service";

    private final KafkaProducer<String, String> producer;
    private final JobEventBroadcaster broadcaster;

    public TrainingEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                                  JobEventBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "trainer-service");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public void publish(EventData data) {
        Envelope envelope = Envelope.wrap(SOURCE, data);
        try {
            producer.send(EventCodec.toRecord(envelope)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + envelope.type(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish " + envelope.type() + " of " + data.subject(),
                    e.getCause());
        }
        broadcaster.publish(data);
    }

    /** The producer, for dead letters. */
    Producer<String, String> producer() {
        return producer;
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
