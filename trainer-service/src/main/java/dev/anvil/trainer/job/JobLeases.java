package dev.anvil.trainer.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Job leases in the database. A queued or running job is held by the instance named in its {@code owner} for as
 * long as that instance refreshes {@code heartbeatAt} within {@code anvil.trainer.lease-timeout}. A job with no
 * owner (queued, waiting for a free slot) or an expired lease (its owner died) is claimable: {@link #claim} is a
 * compare-and-set on the owner and heartbeat that were read, so of two instances claiming the same job exactly one
 * wins, whatever the database's isolation level.
 *
 * <p>Time is each instance's clock (truncated to milliseconds so that a read value compares equal when written
 * back); instances' clocks must agree to well within the lease.
 */
@ApplicationScoped
public class JobLeases {
    static final List<JobStatus> ACTIVE = List.of(JobStatus.QUEUED, JobStatus.RUNNING);

    /** A claimable job as it was read: the claim succeeds only if it is still so. */
    public record Candidate(String jobId, JobStatus status, String owner, Instant heartbeatAt) {
    }

    /** What a heartbeat found: held jobs this instance no longer holds, and held jobs someone asked to cancel. */
    public record Heartbeat(Set<String> lost, Set<String> cancelRequested) {
    }

    private final Duration timeout;

    public JobLeases(@ConfigProperty(name = "anvil.trainer.lease-timeout", defaultValue = "60s") Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("anvil.trainer.lease-timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Whether a job with this lease is held by a live instance. */
    boolean isLive(String owner, Instant heartbeatAt) {
        return owner != null && heartbeatAt != null && heartbeatAt.isAfter(now().minus(timeout));
    }

    /**
     * Unfinished jobs that are free to take, oldest first: no owner, an expired lease, or, with {@code orOwnedBy},
     * owned by that instance (its previous life, at start-up).
     */
    public List<Candidate> claimable(int limit, String orOwnedBy) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Query q = em().createQuery("select j.id, j.status, j.owner, j.heartbeatAt from TrainingJob j "
                    + "where j.status in :active and (j.owner is null or j.heartbeatAt is null or j.heartbeatAt < :cutoff"
                    + (orOwnedBy != null ? " or j.owner = :self" : "") + ") order by j.createdAt, j.id")
                    .setParameter("active", ACTIVE)
                    .setParameter("cutoff", now().minus(timeout))
                    .setMaxResults(limit);
            if (orOwnedBy != null) q.setParameter("self", orOwnedBy);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = q.getResultList();
            return rows.stream().map(r -> new Candidate((String) r[0], (JobStatus) r[1], (String) r[2], (Instant) r[3]))
                    .toList();
        });
    }

    /** Makes {@code claimant} the owner of {@code seen} if nobody changed its lease since it was read. */
    public boolean claim(Candidate seen, String claimant) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = now();
            Query q = em().createQuery("update TrainingJob j set j.owner = :claimant, j.heartbeatAt = :now, "
                    + "j.updatedAt = :now where j.id = :id and j.status = :status and " + unchanged(seen))
                    .setParameter("claimant", claimant)
                    .setParameter("now", now);
            return bindSeen(q, seen).executeUpdate() == 1;
        });
    }

    /**
     * Cancels a job that nobody holds (queued without an owner, or orphaned), with the same compare-and-set as a
     * claim, so that it cannot race a claim.
     *
     * @return the step it was cancelled at, or empty when it is finished, unknown or held by a live instance
     */
    public OptionalLong cancelUnheld(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = TrainingJob.findById(jobId);
            if (job == null || job.status.isFinal() || isLive(job.owner, job.heartbeatAt)) return OptionalLong.empty();
            Candidate seen = new Candidate(job.id, job.status, job.owner, job.heartbeatAt);
            em().detach(job);
            Query q = em().createQuery("update TrainingJob j set j.status = :cancelled, j.reason = :reason, "
                    + "j.updatedAt = :now where j.id = :id and j.status = :status and " + unchanged(seen))
                    .setParameter("cancelled", JobStatus.CANCELLED)
                    .setParameter("reason", seen.status() == JobStatus.QUEUED ? "cancelled before it started"
                            : "cancelled while no instance held it (at step " + job.step + ")")
                    .setParameter("now", now());
            return bindSeen(q, seen).executeUpdate() == 1 ? OptionalLong.of(job.step) : OptionalLong.empty();
        });
    }

    /** Asks the live owner of an unfinished job to cancel it; answers whether the job is unfinished. */
    public boolean requestCancel(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> em().createQuery(
                        "update TrainingJob j set j.cancelRequested = true where j.id = :id and j.status in :active")
                .setParameter("id", jobId).setParameter("active", ACTIVE).executeUpdate() == 1);
    }

    /** Refreshes the leases of the jobs {@code owner} holds, and reports those it lost or that were cancelled. */
    public Heartbeat heartbeat(String owner, Collection<String> held) {
        if (held.isEmpty()) return new Heartbeat(Set.of(), Set.of());
        return QuarkusTransaction.requiringNew().call(() -> {
            em().createQuery("update TrainingJob j set j.heartbeatAt = :now "
                            + "where j.owner = :owner and j.id in :held and j.status in :active")
                    .setParameter("now", now()).setParameter("owner", owner).setParameter("held", held)
                    .setParameter("active", ACTIVE).executeUpdate();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em().createQuery("select j.id, j.cancelRequested from TrainingJob j "
                            + "where j.owner = :owner and j.id in :held and j.status in :active")
                    .setParameter("owner", owner).setParameter("held", held).setParameter("active", ACTIVE)
                    .getResultList();
            Set<String> lost = new HashSet<>(held);
            Set<String> cancel = new HashSet<>();
            for (Object[] r : rows) {
                lost.remove((String) r[0]);
                if ((Boolean) r[1]) cancel.add((String) r[0]);
            }
            return new Heartbeat(lost, cancel);
        });
    }

    /** Gives up {@code owner}'s lease on an unfinished job, so that any instance may claim it at once. */
    public void release(String jobId, String owner) {
        QuarkusTransaction.requiringNew().run(() -> em().createQuery("update TrainingJob j set j.owner = null, "
                        + "j.heartbeatAt = null where j.id = :id and j.owner = :owner and j.status in :active")
                .setParameter("id", jobId).setParameter("owner", owner).setParameter("active", ACTIVE)
                .executeUpdate());
    }

    private static String unchanged(Candidate seen) {
        return (seen.owner() == null ? "j.owner is null" : "j.owner = :owner")
                + (seen.heartbeatAt() == null ? " and j.heartbeatAt is null" : " and j.heartbeatAt = :heartbeat");
    }

    private static Query bindSeen(Query q, Candidate seen) {
        q.setParameter("id", seen.jobId()).setParameter("status", seen.status());
        if (seen.owner() != null) q.setParameter("owner", seen.owner());
        if (seen.heartbeatAt() != null) q.setParameter("heartbeat", seen.heartbeatAt());
        return q;
    }

    private static EntityManager em() {
        return TrainingJob.getEntityManager();
    }
}
