package dev.anvil.gateway.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of a route's split and why: one line of the route's history, and the outbox row of its
 * {@code TrafficSplitChanged} ({@code publishedAt} set once the broker acknowledged it).
 */
@Entity
@Table(name = "route_change")
public class RouteChange extends PanacheEntityBase {
    /** Writes and reads a flat map of numbers: no configuration to share with the application's mapper. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Double>> SHARES = new TypeReference<>() {
    };

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "route_name")
    public String route;
    /** The shares as JSON, {@code {"version": share}} (0..1); empty once the route is deleted. */
    public String shares;
    public String reason;
    @Column(name = "changed_at")
    public Instant changedAt;
    @Column(name = "published_at")
    public Instant publishedAt;

    static RouteChange of(String route, Map<String, Double> shares, String reason) {
        RouteChange change = new RouteChange();
        change.route = route;
        try {
            change.shares = JSON.writeValueAsString(shares);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        change.reason = reason;
        change.changedAt = Instant.now();
        return change;
    }

    Map<String, Double> sharesMap() {
        try {
            return JSON.readValue(shares, SHARES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("route_change " + id + ": shares are not JSON: " + e.getMessage(), e);
        }
    }
}
