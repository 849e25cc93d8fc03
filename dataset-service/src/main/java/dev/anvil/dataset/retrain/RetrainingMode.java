package dev.anvil.dataset.retrain;

/** What a drift alert does: nothing (recorded as skipped), wait for a person's approval, or retrain at once. */
public enum RetrainingMode {
    OFF, MANUAL, AUTOMATIC
}
