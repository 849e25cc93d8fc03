package dev.anvil.dataset.dedup;

/**
 * Gives each distinct 64-bit key a dense id (0, 1, 2, ... in insertion order) so that callers can keep per-key data
 * in parallel primitive arrays. Open addressing with linear probing; about 24 bytes per key.
 */
public final class LongKeyIndex {
    public static final int MISSING = -1;
    private long[] keys;
    private int[] ids;
    private int mask;
    private int size;

    public LongKeyIndex() {
        keys = new long[1024];
        ids = new int[1024];
        mask = keys.length - 1;
    }

    public int size() {
        return size;
    }

    /** The id of {@code key}, or {@link #MISSING}. */
    public int find(long key) {
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            int id = ids[slot] - 1;
            if (id < 0) {
                return MISSING;
            }
            if (keys[slot] == key) {
                return id;
            }
        }
    }

    /** Adds an absent key and returns its new id ({@code size() - 1}); the caller checked {@link #find}. */
    public int add(long key) {
        int slot = slot(key);
        while (ids[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ids[slot] = ++size;
        if (size > keys.length * 0.7) {
            grow();
        }
        return size - 1;
    }

    private int slot(long key) {
        return (int) Hashing.mix(key) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldIds[i] != 0) {
                int slot = slot(oldKeys[i]);
                while (ids[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ids[slot] = oldIds[i];
            }
        }
    }
}
