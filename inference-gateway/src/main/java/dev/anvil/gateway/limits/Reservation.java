package dev.anvil.gateway.limits;

import io.github.bucket4j.distributed.BucketProxy;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an admitted request holds against its limits: the tokens it reserved (prompt plus max_tokens times n) in each
 * token bucket. {@link #settle} gives back what it did not spend, once, so that requests running side by side never
 * spend more than a limit together and a short answer does not cost a long one's tokens.
 */
public final class Reservation {
    private static final Logger LOG = Logger.getLogger(Reservation.class);
    /** A request under no limit. */
    public static final Reservation NONE = new Reservation(0, List.of(), Map.of());

    /** A bucket the request took {@code amount} from. */
    record Taken(Quota quota, BucketProxy bucket, long amount) {
    }

    private final long reservedTokens;
    private final List<Taken> taken;
    private final Map<String, String> headers;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(long reservedTokens, List<Taken> taken, Map<String, String> headers) {
        this.reservedTokens = reservedTokens;
        this.taken = taken;
        this.headers = headers;
    }

    /** The {@code x-ratelimit-*} headers of the answer. */
    public Map<String, String> headers() {
        return headers;
    }

    public long reservedTokens() {
        return reservedTokens;
    }

    /**
     * Gives back the reserved tokens the request did not spend (prompt plus completion so far); a second call does
     * nothing. A refund that fails (database away) is logged and lost: the limit was kept, only stricter than needed.
     */
    public void settle(long spentTokens) {
        if (!settled.compareAndSet(false, true)) return;
        long unused = reservedTokens - Math.min(Math.max(0, spentTokens), reservedTokens);
        if (unused == 0) return;
        for (Taken t : taken) {
            if (!t.quota().kind().countsTokens) continue;
            try {
                t.bucket().addTokens(unused);
            } catch (RuntimeException e) {
                LOG.warnf("Could not give %d unused tokens back to %s: %s", unused, t.quota().describe(), e.toString());
            }
        }
    }
}
