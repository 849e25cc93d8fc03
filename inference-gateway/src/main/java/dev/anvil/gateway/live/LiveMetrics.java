package dev.anvil.gateway.live;

import dev.anvil.gateway.GatewayConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-version live metrics that hold across replicas: each replica counts in memory (requests never wait on the
 * database) and flushes its counts as one {@code version_traffic} row per version and window; a query sums every
 * replica's rows. What a replica has not flushed yet is not in the sums: they lag by at most the flush interval.
 */
@ApplicationScoped
public class LiveMetrics {
    private static final Logger LOG = Logger.getLogger(LiveMetrics.class);

    private final String instanceId;
    private final Map<String, VersionCounters> counters = new ConcurrentHashMap<>();
    /** Where the next flushed window starts: the end of the last one written. */
    private Instant windowStart = Instant.now();

    public LiveMetrics(GatewayConfig config) {
        this.instanceId = config.instanceId().filter(id -> !id.isBlank()).orElseGet(LiveMetrics::defaultInstanceId);
    }

    public String instanceId() {
        return instanceId;
    }

    /** Counts a finished request against its version; {@code nanos} from its start to its last byte. */
    public void request(String versionId, Outcome outcome, long nanos, boolean refused) {
        of(versionId).request(outcome, nanos, refused);
    }

    /**
     * Counts a rating (1 or -1) of an answer of {@code versionId} that replaced {@code previous} (0: none): a
     * repeated rating counts once, a changed one moves from one count to the other.
     */
    public void feedback(String versionId, int previous, int rating) {
        if (previous == rating) return;
        of(versionId).feedback(delta(previous, rating, 1), delta(previous, rating, -1));
    }

    private static long delta(int previous, int rating, int counted) {
        return (rating == counted ? 1 : 0) - (previous == counted ? 1 : 0);
    }

    /**
     * Every replica's counts of {@code versionId} in the windows that end after {@code from} (a window is counted
     * whole: the span is exact to a flush interval).
     */
    public Window since(String versionId, Instant from) {
        List<VersionTraffic> rows = QuarkusTransaction.joiningExisting().call(() -> VersionTraffic
                .<VersionTraffic>list("versionId = ?1 and windowEnd > ?2", versionId, from));
        Window sum = Window.empty(versionId, from, Instant.now());
        for (VersionTraffic row : rows) sum = sum.plus(row.toWindow());
        return sum;
    }

    /**
     * Writes this replica's counts since the last flush, one row per version that had any; on a database failure
     * the counts stay here for the next flush. Called on a schedule, at shutdown, and by tests that cannot wait.
     */
    public synchronized void flush() {
        Instant end = Instant.now();
        List<Window> drained = new ArrayList<>();
        counters.forEach((version, c) -> {
            Window w = c.drain(version, windowStart, end);
            if (!w.isEmpty()) drained.add(w);
        });
        if (drained.isEmpty()) {
            windowStart = end;
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> drained.forEach(w -> VersionTraffic.of(w, instanceId).persist()));
            windowStart = end;
        } catch (RuntimeException e) {
            LOG.warnf(e, "live metrics of %d version(s) not flushed; kept for the next flush", drained.size());
            drained.forEach(w -> of(w.versionId()).restore(w));
        }
    }

    /** Deletes flushed windows that ended before {@code cutoff}; the number deleted. */
    long purgeBefore(Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> VersionTraffic.delete("windowEnd < ?1", cutoff));
    }

    private VersionCounters of(String versionId) {
        return counters.computeIfAbsent(versionId, v -> new VersionCounters());
    }

    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "gateway";
            }
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        String id = host + "-" + HexFormat.of().formatHex(suffix);
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }
}
