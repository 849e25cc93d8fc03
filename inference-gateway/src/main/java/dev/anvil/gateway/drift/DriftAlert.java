package dev.anvil.gateway.drift;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The latest alert of one version and feature, what the cool-down counts from. */
@Entity
@Table(name = "drift_alert")
@IdClass(DriftAlert.Key.class)
public class DriftAlert extends PanacheEntityBase {
    @Id
    @Column(name = "version_id")
    public String version;
    @Id
    public String feature;
    public String statistic;
    @Column(name = "stat_value")
    public double value;
    public double threshold;
    @Column(name = "window_start")
    public Instant windowStart;
    @Column(name = "window_end")
    public Instant windowEnd;
    public long samples;
    @Column(name = "raised_at")
    public Instant raisedAt;

    static DriftAlert of(String version, String feature) {
        DriftAlert alert = new DriftAlert();
        alert.version = version;
        alert.feature = feature;
        return alert;
    }

    /** The primary key: version and feature. */
    public static class Key implements Serializable {
        public String version;
        public String feature;

        static Key of(String version, String feature) {
            Key key = new Key();
            key.version = version;
            key.feature = feature;
            return key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(version, k.version) && Objects.equals(feature, k.feature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, feature);
        }
    }
}
