package dev.anvil.gateway.events;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.MessageTypes;
import dev.anvil.service.tracing.Traceparent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An event the gateway publishes ({@code model.events}, {@code drift.events}): its outbox row, {@code publishedAt}
 * set once the broker acknowledged it. {@code payload} is the envelope as sent, so that a resend is the same message.
 * The rows of {@code model.events} are also the routes' history.
 */
@Entity
@Table(name = "gateway_event")
public class GatewayEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String topic;
    /** The message key: the route of a model event, the version of a drift event. */
    public String subject;
    public String type;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;
    /** The trace of the change that wrote it (W3C traceparent), continued when it is sent; null outside a trace. */
    @Column(length = Traceparent.MAX_LENGTH)
    public String traceparent;

    static GatewayEvent of(String source, EventData data) {
        Envelope envelope = Envelope.wrap(source, data);
        GatewayEvent event = new GatewayEvent();
        event.topic = MessageTypes.topicOf(data.getClass());
        event.subject = data.subject();
        event.type = MessageTypes.nameOf(data.getClass());
        event.payload = EventCodec.toJson(envelope);
        event.createdAt = Instant.now();
        event.traceparent = Traceparent.current();
        return event;
    }

    EventData data() {
        return EventCodec.fromJson(payload).data();
    }
}
