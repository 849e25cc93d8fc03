package dev.anvil.dataset.outbox;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.service.tracing.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;

/**
 * Writes events into the outbox table inside the caller's transaction: the event exists exactly when the change
 * it announces was committed, and survives a Kafka outage until {@link OutboxRelay} delivers it, in the trace of
 * the request that wrote it.
 */
@ApplicationScoped
public class Outbox {

    public static final String SOURCE = "anvil/dataset-service";

    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope enqueue(EventData data) {
        Envelope envelope = Envelope.wrap(SOURCE, data);
        ProducerRecord<String, String> record = EventCodec.toRecord(envelope);
        OutboxMessage message = new OutboxMessage();
        message.topic = record.topic();
        message.key = record.key();
        message.payload = record.value();
        message.createdAt = Instant.now();
        message.traceparent = Traceparent.current();
        message.persist();
        return envelope;
    }
}
