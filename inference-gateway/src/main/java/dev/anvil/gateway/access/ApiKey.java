package dev.anvil.gateway.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An API key of /v1: never the key itself, only its SHA-256 and a prefix to tell keys apart. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "key_prefix")
    public String prefix;
    @Column(name = "key_hash")
    public String hash;
    /** May pick a route's variant with the {@code x-anvil-model-version} request header. */
    public boolean admin;
    /** The key's scopes ({@link KeyScope}), comma separated; null: none, a /v1 key. */
    public String scopes;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    /** The key's own limits (see {@link KeyLimits}); null: the configured default. */
    @Column(name = "requests_per_minute")
    public Long requestsPerMinute;
    @Column(name = "tokens_per_minute")
    public Long tokensPerMinute;
    @Column(name = "tokens_per_day")
    public Long tokensPerDay;
    @Column(name = "tokens_per_month")
    public Long tokensPerMonth;
}
