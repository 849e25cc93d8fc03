package dev.anvil.gateway.live;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Instant;
import java.util.Optional;

/**
 * Clients' ratings of served answers: stored per response id (a later rating of the same answer replaces the
 * earlier one) and counted into the live metrics of the version that answered.
 */
@ApplicationScoped
public class Feedbacks {
    /** The longest correction kept: a rewritten answer, not a document. */
    public static final int MAX_CORRECTION_CHARS = 16_384;

    private final LiveMetrics metrics;
    private final ServedResponses served;
    private final Event<Rated> rated;

    public Feedbacks(LiveMetrics metrics, ServedResponses served, Event<Rated> rated) {
        this.metrics = metrics;
        this.served = served;
        this.rated = rated;
    }

    private record Stored(Feedback feedback, int previous) {
    }

    /**
     * Rates the answer {@code responseId} ({@code rating} 1 or -1); empty when this gateway did not serve it (or
     * no longer knows it: older than the retention).
     */
    public Optional<Feedback> rate(String responseId, int rating, String correction) {
        if (rating != 1 && rating != -1) throw new IllegalArgumentException("rating must be 1 or -1");
        Optional<Stored> stored;
        try {
            stored = QuarkusTransaction.requiringNew().call(() -> store(responseId, rating, correction));
        } catch (RuntimeException e) {
            // Two first ratings of one answer at once: the loser's insert collides, and once more it finds the
            // winner's row, locked, and replaces it.
            if (!isDuplicate(e)) throw e;
            stored = QuarkusTransaction.requiringNew().call(() -> store(responseId, rating, correction));
        }
        stored.ifPresent(s -> {
            metrics.feedback(s.feedback().versionId, s.previous(), rating);
            rated.fire(new Rated(responseId, s.feedback().versionId, rating));
        });
        return stored.map(Stored::feedback);
    }

    private Optional<Stored> store(String responseId, int rating, String correction) {
        Optional<ServedResponse> answer = served.find(responseId);
        if (answer.isEmpty()) return Optional.empty();
        Feedback feedback = Feedback.findById(responseId, LockModeType.PESSIMISTIC_WRITE);
        int previous = feedback == null ? 0 : feedback.rating;
        if (feedback == null) {
            feedback = new Feedback();
            feedback.responseId = responseId;
            feedback.versionId = answer.get().versionId;
            feedback.model = answer.get().model;
        }
        feedback.rating = (short) rating;
        feedback.correction = correction;
        feedback.createdAt = Instant.now();
        feedback.persistAndFlush();
        return Optional.of(new Stored(feedback, previous));
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) return true;
        }
        return false;
    }
}
