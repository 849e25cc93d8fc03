package dev.anvil.gateway.route;

import dev.anvil.events.EventData;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The gateway's side of {@code model.events}: an event is written in the transaction of the change it announces, so
 * it exists exactly when that change was committed, and {@link ModelEventPublisher} sends it after the commit. The
 * same rows are the routes' history.
 */
@ApplicationScoped
public class ModelEvents {
    static final String SOURCE = "inference-gateway";

    private final ModelEventPublisher publisher;

    public ModelEvents(ModelEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(EventData data) {
        ModelEvent.of(SOURCE, data).persist();
        publisher.publishAfterCommit();
    }

    /** The latest {@code limit} events of {@code route}, newest first. */
    public List<RouteView.Change> history(String route, int limit) {
        return ModelEvent.<ModelEvent>find("route", Sort.descending("id"), route).page(0, limit).list().stream()
                .map(e -> new RouteView.Change(e.createdAt, e.type, e.data())).toList();
    }
}
