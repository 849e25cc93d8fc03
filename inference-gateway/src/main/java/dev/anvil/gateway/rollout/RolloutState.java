package dev.anvil.gateway.rollout;

/** Where a trained version stands on its way into its route. */
public enum RolloutState {
    /** Serves a growing share of its route while its checks pass. */
    CANARY,
    /** Took all of its route's traffic. */
    PROMOTED,
    /** Taken out of its route: too many failed checks, or superseded by a newer canary. */
    ROLLED_BACK,
    /** Its evaluation failed: it never gets traffic. */
    REJECTED,
    /** It passed, but no route was named and none serves its base and dataset: an operator routes it by hand. */
    UNROUTED;

    boolean isFinal() {
        return this != CANARY;
    }
}
