package dev.anvil.dataset.dedup;

/** The 64-bit hashing used for fingerprints: FNV-1a over chars, finished with MurmurHash3's avalanche step. */
final class Hashing {
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    static long step(long hash, char c) {
        return (hash ^ c) * FNV_PRIME;
    }

    /** MurmurHash3 fmix64: every input bit affects every output bit, so slices of the result are usable as hashes. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static int mix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
