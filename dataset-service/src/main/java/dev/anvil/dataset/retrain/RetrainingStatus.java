package dev.anvil.dataset.retrain;

import java.util.Set;

/**
 * Where a retraining stands. PENDING_APPROVAL, BUILDING and REQUESTED hold the route (one in flight per route);
 * every other status is final: it was skipped, failed, declined by a person, or the loop's outcome arrived.
 */
public enum RetrainingStatus {
    PENDING_APPROVAL, BUILDING, REQUESTED,
    SKIPPED, FAILED, DECLINED,
    PROMOTED, ROLLED_BACK, REJECTED, TRAINING_FAILED;

    static final Set<RetrainingStatus> IN_FLIGHT = Set.of(PENDING_APPROVAL, BUILDING, REQUESTED);

    public boolean inFlight() {
        return IN_FLIGHT.contains(this);
    }
}
