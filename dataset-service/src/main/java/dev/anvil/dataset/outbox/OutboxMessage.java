package dev.anvil.dataset.outbox;

import dev.anvil.service.tracing.Traceparent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** An event written in the same transaction as the change it announces, waiting to be relayed to Kafka. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "topic", nullable = false, length = 249)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String key;

    @Column(name = "payload", nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The W3C traceparent of the transaction that wrote it (docs/tracing.md); null outside any trace. */
    @Column(name = "traceparent", length = Traceparent.MAX_LENGTH)
    public String traceparent;

    /** Null until the broker acknowledged the message. */
    @Column(name = "sent_at")
    public Instant sentAt;

    /** The oldest unsent messages first, so one key's messages leave in the order they were written. */
    public static List<OutboxMessage> pending(int limit) {
        return find("sentAt is null", Sort.ascending("id")).page(Page.ofSize(limit)).list();
    }

    public static long countPending() {
        return count("sentAt is null");
    }
}
