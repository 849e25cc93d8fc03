package dev.anvil.dataset;

import java.sql.SQLException;

/**
 * Recognises a unique key's refusal, whichever layer reports it. Several writers (replicas, consumer threads, HTTP
 * requests) rely on the database's unique keys to decide who came first; the loser retries and then sees the winner.
 */
public final class UniqueViolations {
    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
