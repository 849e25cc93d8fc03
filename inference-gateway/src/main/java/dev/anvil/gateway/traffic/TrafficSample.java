package dev.anvil.gateway.traffic;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One answered request kept for retraining: its {@link TrafficRecord} sealed by {@link TrafficCipher} under the key
 * {@code keyId} names; the columns in clear are what selection, bounds and expiry need, never text.
 */
@Entity
@Table(name = "traffic_sample")
public class TrafficSample extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "response_id")
    public String responseId;
    @Column(name = "version_id")
    public String versionId;
    public String model;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "key_id")
    public String keyId;
    public byte[] nonce;
    public byte[] ciphertext;
}
