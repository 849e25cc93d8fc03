package dev.anvil.dataset.dedup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Finds records whose word shingles are nearly the same as an indexed record's: MinHash signatures, LSH banding to
 * find candidates, then the candidate's estimated Jaccard similarity (the share of agreeing signature positions)
 * checked against the threshold. Memory per indexed record is one LSH bucket entry per band (8 bytes each, in
 * primitive arrays); the signatures live in a temporary file. A bucket remembers the first record that fell into it.
 */
public final class NearDuplicateIndex implements Closeable {
    /** Returned by {@link #findMatch} when no indexed record is similar enough. */
    public static final long NO_MATCH = Long.MIN_VALUE;

    private final LshParameters lsh;
    private final int requiredAgreements;
    private final IntIntMap buckets = new IntIntMap(1 << 16);
    private final SignatureStore store;
    private final int[] bandKeys;
    private final int[] checked;

    public NearDuplicateIndex(double threshold, int signatureSize, Path tempFile) throws IOException {
        this.lsh = LshParameters.forThreshold(threshold, signatureSize);
        this.requiredAgreements = (int) Math.ceil(threshold * signatureSize - 1e-9);
        this.store = new SignatureStore(tempFile, signatureSize);
        this.bandKeys = new int[lsh.bands()];
        this.checked = new int[lsh.bands()];
    }

    public LshParameters parameters() {
        return lsh;
    }

    /** The tag of an indexed record whose estimated similarity with {@code signature} reaches the threshold. */
    public long findMatch(int[] signature) throws IOException {
        computeBandKeys(signature);
        int checkedCount = 0;
        for (int band = 0; band < bandKeys.length; band++) {
            int id = buckets.get(bandKeys[band]);
            if (id == IntIntMap.MISSING || contains(checked, checkedCount, id)) {
                continue;
            }
            checked[checkedCount++] = id;
            if (store.agreements(id, signature) >= requiredAgreements) {
                return store.tag(id);
            }
        }
        return NO_MATCH;
    }

    /** Indexes a record (one that {@link #findMatch} did not match) under {@code tag}. */
    public void add(int[] signature, long tag) throws IOException {
        computeBandKeys(signature);
        int id = store.add(signature, tag);
        for (int key : bandKeys) {
            buckets.putIfAbsent(key, id);
        }
    }

    private void computeBandKeys(int[] signature) {
        int rows = lsh.rows();
        for (int band = 0; band < bandKeys.length; band++) {
            int h = 0x9E3779B9 * (band + 1);
            for (int i = band * rows; i < (band + 1) * rows; i++) {
                h = Hashing.mix32(h ^ (signature[i] & 0xFFFF)) + i;
            }
            bandKeys[band] = h == 0 ? 1 : h;
        }
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
