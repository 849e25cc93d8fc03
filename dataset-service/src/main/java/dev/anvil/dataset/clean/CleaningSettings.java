package dev.anvil.dataset.clean;

/**
 * The knobs of one cleaning run; they are recorded in the version's lineage.
 *
 * @param validationFraction     share of accepted records that go to validation when no fixed validation file is given
 * @param seed                   seed of the split (same seed and content: same split)
 * @param strict                 true: any malformed, empty or too long line refuses the whole upload
 * @param nearDuplicateThreshold Jaccard similarity of word shingles at or above which records are near duplicates
 * @param maxRecordChars         records with more characters than this are removed as {@code too_long}
 * @param conflictPolicy         what to do with conflicting answers
 */
public record CleaningSettings(double validationFraction, long seed, boolean strict, double nearDuplicateThreshold,
                               int maxRecordChars, ConflictPolicy conflictPolicy) {

    public static final CleaningSettings DEFAULTS =
            new CleaningSettings(0.1, 0, false, 0.8, 32_768, ConflictPolicy.KEEP_FIRST);

    public CleaningSettings {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (!(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1)) {
            throw new IllegalArgumentException(
                    "nearDuplicateThreshold must be in (0, 1], got " + nearDuplicateThreshold);
        }
        if (maxRecordChars <= 0) {
            throw new IllegalArgumentException("maxRecordChars must be positive, got " + maxRecordChars);
        }
        if (conflictPolicy == null) {
            throw new IllegalArgumentException("conflictPolicy is required");
        }
    }
}
