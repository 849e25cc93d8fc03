package dev.anvil.eval.evaluation;

import dev.anvil.eval.EvalConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Evaluation leases in the database, so that two replicas never run the same evaluation and one that dies is taken
 * over. An unfinished evaluation is held by the replica named in {@code owner} while that replica refreshes
 * {@code heartbeatAt} within {@code anvil.eval.lease-timeout}; a queued one (no owner) or one whose lease expired is
 * claimable. A claim is a compare-and-set on the lease that was read, so of two replicas exactly one wins whatever
 * the database's isolation level. Times are truncated to milliseconds so that a value read compares equal when
 * written back; replicas' clocks must agree to well within the lease.
 */
@ApplicationScoped
public class EvaluationLeases {
    private static final List<EvaluationStatus> UNFINISHED = List.of(EvaluationStatus.QUEUED, EvaluationStatus.RUNNING);
    private static final int CANDIDATES = 8;

    private final Duration timeout;

    public EvaluationLeases(EvalConfig config) {
        this.timeout = config.leaseTimeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("anvil.eval.lease-timeout must be positive, got " + timeout);
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Claims the oldest claimable evaluation for {@code owner}: it is then RUNNING, held by {@code owner}. */
    public Optional<String> claimNext(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em().createQuery("select e.id, e.owner, e.heartbeatAt from Evaluation e "
                            + "where e.status in :unfinished and (e.owner is null or e.heartbeatAt < :cutoff) "
                            + "order by e.createdAt, e.id")
                    .setParameter("unfinished", UNFINISHED)
                    .setParameter("cutoff", now().minus(timeout))
                    .setMaxResults(CANDIDATES)
                    .getResultList();
            for (Object[] r : rows) {
                if (claim((String) r[0], (String) r[1], (Instant) r[2], owner)) return Optional.of((String) r[0]);
            }
            return Optional.empty();
        });
    }

    private boolean claim(String id, String seenOwner, Instant seenHeartbeat, String owner) {
        Instant now = now();
        Query q = em().createQuery("update Evaluation e set e.owner = :owner, e.heartbeatAt = :now, "
                        + "e.status = :running, e.startedAt = :now, e.attempts = e.attempts + 1 "
                        + "where e.id = :id and e.status in :unfinished and "
                        + (seenOwner == null ? "e.owner is null" : "e.owner = :seenOwner")
                        + (seenHeartbeat == null ? " and e.heartbeatAt is null" : " and e.heartbeatAt = :seenHeartbeat"))
                .setParameter("owner", owner)
                .setParameter("now", now)
                .setParameter("running", EvaluationStatus.RUNNING)
                .setParameter("id", id)
                .setParameter("unfinished", UNFINISHED);
        if (seenOwner != null) q.setParameter("seenOwner", seenOwner);
        if (seenHeartbeat != null) q.setParameter("seenHeartbeat", seenHeartbeat);
        return q.executeUpdate() == 1;
    }

    /** Refreshes {@code owner}'s lease; false when the evaluation is no longer held by it. */
    public boolean heartbeat(String id, String owner) {
        return QuarkusTransaction.requiringNew().call(() -> em().createQuery("update Evaluation e "
                        + "set e.heartbeatAt = :now where e.id = :id and e.owner = :owner and e.status = :running")
                .setParameter("now", now()).setParameter("id", id).setParameter("owner", owner)
                .setParameter("running", EvaluationStatus.RUNNING).executeUpdate() == 1);
    }

    private static EntityManager em() {
        return Evaluation.getEntityManager();
    }
}
