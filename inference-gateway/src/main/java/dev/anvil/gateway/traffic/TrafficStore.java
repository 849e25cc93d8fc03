package dev.anvil.gateway.traffic;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.ServedExchange;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes kept traffic: each exchange as one sealed {@link TrafficRecord} row, a batch in one transaction, and keeps
 * each version within {@code max-per-version} samples; deletes expired rows. Every replica writes and deletes: the
 * bounds are enforced in the shared table, so they hold for all replicas together.
 */
@ApplicationScoped
class TrafficStore {
    private final TrafficCipher cipher;
    private final GatewayConfig.Traffic config;

    TrafficStore(TrafficKey key, GatewayConfig config) {
        this.cipher = key.cipher().orElse(null);
        this.config = config.traffic();
    }

    /** Seals and inserts {@code batch} in one transaction, which then deletes its versions' samples beyond the cap. */
    void write(List<ServedExchange> batch) {
        if (cipher == null || batch.isEmpty()) return;
        List<TrafficSample> rows = batch.stream().map(this::sealed).toList();
        Set<String> versions = new LinkedHashSet<>();
        rows.forEach(r -> versions.add(r.versionId));
        QuarkusTransaction.requiringNew().run(() -> {
            TrafficSample.persist(rows);
            versions.forEach(this::trim);
        });
    }

    private TrafficSample sealed(ServedExchange exchange) {
        TrafficCipher.Sealed sealed = cipher.seal(TrafficRecord.of(exchange, config.maxSampleChars()),
                exchange.responseId(), exchange.versionId());
        TrafficSample row = new TrafficSample();
        row.responseId = exchange.responseId();
        row.versionId = exchange.versionId();
        row.model = exchange.model();
        // As the database keeps it (microseconds), so that the trim's comparisons hold for rows of this transaction.
        row.createdAt = exchange.created().truncatedTo(ChronoUnit.MICROS);
        row.expiresAt = row.createdAt.plus(config.retention());
        row.keyId = cipher.keyId();
        row.nonce = sealed.nonce();
        row.ciphertext = sealed.ciphertext();
        return row;
    }

    /**
     * Deletes the samples of {@code versionId} past the newest {@code max-per-version}: the first one beyond the cap,
     * in the reading order (newest first), and every older one. Runs in the caller's transaction.
     */
    long trim(String versionId) {
        List<TrafficSample> boundary = TrafficSample.<TrafficSample>find(
                "versionId = ?1 order by createdAt desc, id desc", versionId)
                .range(config.maxPerVersion(), config.maxPerVersion()).list();
        if (boundary.isEmpty()) return 0;
        TrafficSample first = boundary.get(0);
        return TrafficSample.delete("versionId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id <= ?3))", versionId,
                first.createdAt, first.id);
    }

    /** Deletes the samples whose time is up (whatever key they were written with); the number deleted. */
    long purgeExpired(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> TrafficSample.delete("expiresAt <= ?1", now));
    }

    boolean keeps() {
        return cipher != null;
    }

    String keyId() {
        return cipher == null ? null : cipher.keyId();
    }
}
