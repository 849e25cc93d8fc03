package dev.anvil.dataset.clean;

/** What to do with records whose normalised prompt was already seen with a different answer. */
public enum ConflictPolicy {
    /** Keep the first answer, remove later ones as {@code conflict} (default). */
    KEEP_FIRST,
    /** Remove every record of a conflicting prompt, the first included. */
    DROP_ALL,
    /** Keep them all; they are still counted in {@code conflicts}. */
    KEEP_ALL
}
