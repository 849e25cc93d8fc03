package dev.anvil.dataset.dedup;

/**
 * MinHash signatures by one-permutation hashing with rotation densification (Li, Owen &amp; Zhang 2012; Shrivastava
 * &amp; Li 2014): each shingle is hashed once, the top bits choose one of {@code size} bins and the rest is the value
 * whose minimum the bin keeps; an empty bin borrows the value of the next non-empty bin to its right, mixed with the
 * distance. The probability that two signatures agree at a position is the Jaccard similarity of the shingle sets,
 * as with {@code size} independent permutations, at the cost of one hash per shingle instead of {@code size}.
 */
public final class MinHasher {
    public static final int DEFAULT_SIZE = 128;

    private final int size;
    private final int shift;
    private final int[] raw;

    public MinHasher(int size) {
        if (Integer.bitCount(size) != 1 || size < 8) {
            throw new IllegalArgumentException("signature size must be a power of two >= 8, got " + size);
        }
        this.size = size;
        this.shift = 64 - Integer.numberOfTrailingZeros(size);
        this.raw = new int[size];
    }

    public int size() {
        return size;
    }

    /** Fills {@code signature} from the first {@code count} shingle hashes; false when there are none. */
    public boolean signature(long[] shingles, int count, int[] signature) {
        if (count == 0) {
            return false;
        }
        java.util.Arrays.fill(raw, -1);
        for (int i = 0; i < count; i++) {
            long h = shingles[i];
            int bin = (int) (h >>> shift);
            int value = (int) h & 0x7FFFFFFF;
            if (raw[bin] < 0 || value < raw[bin]) {
                raw[bin] = value;
            }
        }
        for (int bin = 0; bin < size; bin++) {
            if (raw[bin] >= 0) {
                signature[bin] = raw[bin];
                continue;
            }
            int distance = 1;
            int donor = (bin + 1) & (size - 1);
            while (raw[donor] < 0) {
                distance++;
                donor = (donor + 1) & (size - 1);
            }
            signature[bin] = Hashing.mix32(raw[donor] + distance * 0x9E3779B9) & 0x7FFFFFFF;
        }
        return true;
    }
}
