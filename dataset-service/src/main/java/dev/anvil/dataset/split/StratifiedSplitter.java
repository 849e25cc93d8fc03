package dev.anvil.dataset.split;

import dev.anvil.dataset.ingest.SourceFormat;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses the validation records of a stream in one pass, stratified by source format: of the {@code n_f} records of
 * format {@code f}, exactly {@code round(fraction * n_f)} go to validation. Within a format the choice is Knuth's
 * selection sampling (Algorithm S): the i-th record is taken with probability (still needed) / (still to come),
 * which picks a uniformly random subset of the exact size without holding the records. Each format draws from its own
 * generator seeded by the split seed and the format, so the split depends only on the seed and the records' order
 * within their format.
 */
public final class StratifiedSplitter {
    private final Map<SourceFormat, Stratum> strata = new EnumMap<>(SourceFormat.class);

    /**
     * @param counts   how many records of each format will be offered, in total
     * @param fraction share of each format that goes to validation, in [0, 1)
     * @param seed     the split seed
     */
    public StratifiedSplitter(Map<SourceFormat, Long> counts, double fraction, long seed) {
        counts.forEach((format, n) -> strata.put(format,
                new Stratum(n, Math.round(fraction * n), generator(seed, format))));
    }

    /**
     * A generator per (seed, format). The combined seed goes through one draw first: SplittableRandom seeds that
     * differ by its gamma would otherwise give the same sequence shifted by one.
     */
    private static SplittableRandom generator(long seed, SourceFormat format) {
        long combined = seed * 31 + format.ordinal();
        return new SplittableRandom(new SplittableRandom(combined).nextLong());
    }

    /** Whether the next record of this format goes to validation. */
    public boolean toValidation(SourceFormat format) {
        Stratum stratum = strata.get(format);
        if (stratum == null || stratum.remaining == 0) {
            throw new IllegalStateException("more " + format.id() + " records offered than counted");
        }
        boolean chosen = stratum.random.nextLong(stratum.remaining) < stratum.needed;
        stratum.remaining--;
        if (chosen) {
            stratum.needed--;
        }
        return chosen;
    }

    /** How many records of the format go to validation. */
    public long validationCount(SourceFormat format) {
        Stratum stratum = strata.get(format);
        return stratum == null ? 0 : stratum.total;
    }

    private static final class Stratum {
        long remaining;
        long needed;
        final long total;
        final SplittableRandom random;

        Stratum(long n, long validation, SplittableRandom random) {
            this.remaining = n;
            this.needed = validation;
            this.total = validation;
            this.random = random;
        }
    }
}
