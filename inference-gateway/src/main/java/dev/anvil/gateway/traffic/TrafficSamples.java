package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.version.ModelVersion;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a version's kept traffic for retraining, decrypted, newest first, in pages (a long answer is never read in
 * one go). Rows written under another key, or altered, are counted and left out, and the log says which key or
 * what failed, never what they hold. Expired rows not yet purged are not read.
 */
@ApplicationScoped
public class TrafficSamples {
    private static final Logger LOG = Logger.getLogger(TrafficSamples.class);
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final int PAGE = 100;
    private static final String ORDER = " order by createdAt desc, id desc";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrafficKey key;
    private final GatewayConfig config;

    TrafficSamples(TrafficKey key, GatewayConfig config) {
        this.key = key;
        this.config = config;
    }

    /** A request for a version's traffic, checked: the newest {@code limit} samples created from {@code since}. */
    public record Query(String versionId, Instant since, int limit) {
    }

    /**
     * The query parameters read as text and checked here, so that a bad one is a 400 naming it. 503 while no key is
     * configured; 404 for a version that is neither registered nor a base model and has no kept traffic.
     */
    public Query query(String versionId, String limit, String since) {
        if (key.cipher().isEmpty()) {
            throw RefusedException.unavailable("traffic is not kept: set " + TrafficKey.PROPERTY + " (environment "
                    + TrafficKey.ENVIRONMENT + ")");
        }
        Query query = new Query(versionId, since(since), limit(limit));
        if (!known(versionId)) {
            throw RefusedException.notFound("version '" + SafeText.of(versionId) + "' is not registered, not a base "
                    + "model, and has no kept traffic");
        }
        return query;
    }

    public TrafficPage page(Query query) {
        return page(query, PAGE);
    }

    /** Read {@code pageSize} rows at a time (tests read small pages to cross page boundaries). */
    TrafficPage page(Query query, int pageSize) {
        List<TrafficPage.Sample> samples = new ArrayList<>();
        try {
            int undecryptable = read(query, pageSize, (row, record) -> samples.add(
                    new TrafficPage.Sample(row.responseId, row.model, row.createdAt, JSON.readTree(record))));
            return new TrafficPage(query.versionId(), samples, undecryptable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records alone, one JSON document a line (JSON Lines, what a dataset upload takes), as they are read. */
    public void writeRecords(Query query, OutputStream out) throws IOException {
        read(query, PAGE, (row, record) -> {
            out.write(record);
            out.write('\n');
        });
    }

    private interface Opened {
        void accept(TrafficSample row, byte[] record) throws IOException;
    }

    /** Hands each decryptable sample of the range to {@code opened}; the number left out. */
    private int read(Query query, int pageSize, Opened opened) throws IOException {
        TrafficCipher cipher = key.cipher().orElseThrow();
        Instant now = Instant.now();
        Map<String, Integer> failures = new TreeMap<>();
        TrafficSample last = null;
        int seen = 0;
        while (seen < query.limit()) {
            int size = Math.min(pageSize, query.limit() - seen);
            TrafficSample after = last;
            List<TrafficSample> rows = QuarkusTransaction.requiringNew().call(() -> page(query, now, after, size));
            for (TrafficSample row : rows) {
                if (!cipher.keyId().equals(row.keyId)) {
                    failures.merge("written under key " + row.keyId, 1, Integer::sum);
                    continue;
                }
                byte[] record;
                try {
                    record = cipher.open(row.nonce, row.ciphertext, row.responseId, row.versionId);
                } catch (TrafficCipher.UndecryptableException e) {
                    failures.merge(e.getMessage(), 1, Integer::sum);
                    continue;
                }
                opened.accept(row, record);
            }
            seen += rows.size();
            if (rows.size() < size) break;
            last = rows.get(rows.size() - 1);
        }
        int undecryptable = failures.values().stream().mapToInt(Integer::intValue).sum();
        if (undecryptable > 0) {
            LOG.warnf("%d kept sample(s) of version %s left out, not decryptable with the configured key %s: %s",
                    undecryptable, SafeText.of(query.versionId()), cipher.keyId(), failures);
        }
        return undecryptable;
    }

    /** One page after {@code after} (null: the first), newest first; the order is total, so no row is read twice. */
    private static List<TrafficSample> page(Query query, Instant now, TrafficSample after, int size) {
        String where = "versionId = ?1 and createdAt >= ?2 and expiresAt > ?3";
        PanacheQuery<TrafficSample> rows = after == null
                ? TrafficSample.find(where + ORDER, query.versionId(), query.since(), now)
                : TrafficSample.find(where + " and (createdAt < ?4 or (createdAt = ?4 and id < ?5))" + ORDER,
                query.versionId(), query.since(), now, after.createdAt, after.id);
        return rows.page(0, size).list();
    }

    private boolean known(String versionId) {
        return config.baseModels().contains(versionId) || QuarkusTransaction.requiringNew().call(() ->
                ModelVersion.findById(versionId) != null
                        || TrafficSample.find("versionId", versionId).firstResultOptional().isPresent());
    }

    private static int limit(String value) {
        if (value == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RefusedException.invalid("query parameter limit '" + SafeText.of(value) + "' must be a whole number in "
                + "1.." + MAX_LIMIT);
    }

    private static Instant since(String value) {
        if (value == null) return Instant.EPOCH;
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw RefusedException.invalid("query parameter since '" + SafeText.of(value) + "' must be an ISO-8601 "
                    + "instant such as 2026-12-06T10:15:30Z");
        }
    }
}
