package dev.anvil.gateway.events;

import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The events the gateway publishes: an event is written in the transaction of the change it announces, so it exists
 * exactly when that change was committed, and {@link GatewayEventPublisher} sends it after the commit. The rows of
 * {@code model.events} are also the routes' history.
 */
@ApplicationScoped
public class GatewayEvents {
    static final String SOURCE = "inference-gateway";

    private final GatewayEventPublisher publisher;

    public GatewayEvents(GatewayEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(EventData data) {
        GatewayEvent.of(SOURCE, data).persist();
        publisher.publishAfterCommit();
    }

    /** The latest {@code limit} events of {@code route}, newest first. */
    public List<PublishedEvent> history(String route, int limit) {
        return GatewayEvent.<GatewayEvent>find("topic = ?1 and subject = ?2", Sort.descending("id"), Topics.MODEL_EVENTS,
                        route).page(0, limit).list().stream()
                .map(e -> new PublishedEvent(e.createdAt, e.type, e.data())).toList();
    }
}
