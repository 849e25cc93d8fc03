package dev.anvil.gateway.limits;

import dev.anvil.service.background.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes buckets nobody has written for longer than a month: a per-minute bucket is full again after a minute and a
 * budget's period (a day, a month) is over, so such a row holds nothing a request would miss. Every replica runs it; a
 * delete is idempotent.
 */
@ApplicationScoped
public class BucketCleanup {
    private static final Logger LOG = Logger.getLogger(BucketCleanup.class);
    /** Longer than the longest period (31 days), so that no live budget is ever deleted. */
    static final Duration UNUSED_FOR = Duration.ofDays(32);
    private static final Duration EVERY = Duration.ofHours(1);

    private final EntityManager db;
    private Periodic runs;

    public BucketCleanup(EntityManager db) {
        this.db = db;
    }

    void start(@Observes StartupEvent ignored) {
        runs = Periodic.every("rate-limit-cleanup", EVERY, Duration.ZERO, this::deleteUnused);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (runs != null) runs.close();
    }

    @Transactional
    int deleteUnused(Instant now) {
        int deleted = db.createNativeQuery("DELETE FROM rate_limit_bucket WHERE updated_at < ?1")
                .setParameter(1, Timestamp.from(now.minus(UNUSED_FOR))).executeUpdate();
        if (deleted > 0) LOG.infof("deleted %d rate limit bucket(s) unused for %s", deleted, UNUSED_FOR);
        return deleted;
    }

    private void deleteUnused() {
        deleteUnused(Instant.now());
    }
}
