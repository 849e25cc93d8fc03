package dev.anvil.gateway.route;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.MessageTypes;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An event of a route as published on {@code model.events}: one line of the route's history, and its outbox row
 * ({@code publishedAt} set once the broker acknowledged it). {@code payload} is the envelope as sent, so that a
 * resend is the same message.
 */
@Entity
@Table(name = "model_event")
public class ModelEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "route_name")
    public String route;
    public String type;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;

    static ModelEvent of(String source, EventData data) {
        Envelope envelope = Envelope.wrap(source, data);
        ModelEvent event = new ModelEvent();
        event.route = data.subject();
        event.type = MessageTypes.nameOf(data.getClass());
        event.payload = EventCodec.toJson(envelope);
        event.createdAt = Instant.now();
        return event;
    }

    EventData data() {
        return EventCodec.fromJson(payload).data();
    }
}
