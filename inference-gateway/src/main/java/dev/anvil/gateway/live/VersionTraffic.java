package dev.anvil.gateway.live;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One replica's counts of one version over one flush window. */
@Entity
@Table(name = "version_traffic")
public class VersionTraffic extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "version_id")
    public String versionId;
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "window_start")
    public Instant windowStart;
    @Column(name = "window_end")
    public Instant windowEnd;
    public long requests;
    public long errors;
    public long refusals;
    @Column(name = "latency_buckets")
    public String latencyBuckets;
    @Column(name = "feedback_positive")
    public long feedbackPositive;
    @Column(name = "feedback_negative")
    public long feedbackNegative;

    static VersionTraffic of(Window w, String instanceId) {
        VersionTraffic row = new VersionTraffic();
        row.versionId = w.versionId();
        row.instanceId = instanceId;
        row.windowStart = w.from();
        row.windowEnd = w.to();
        row.requests = w.requests();
        row.errors = w.errors();
        row.refusals = w.refusals();
        row.latencyBuckets = LatencyHistogram.encode(w.latencyBuckets());
        row.feedbackPositive = w.positiveFeedback();
        row.feedbackNegative = w.negativeFeedback();
        return row;
    }

    Window toWindow() {
        return new Window(versionId, windowStart, windowEnd, requests, errors, refusals,
                LatencyHistogram.decode(latencyBuckets), feedbackPositive, feedbackNegative);
    }
}
