package dev.anvil.dataset.dedup;

import java.util.Arrays;

/** Reusable scratch space for word and shingle hashes, so that fingerprinting allocates nothing per record. */
public final class ShingleBuffer {
    private long[] words = new long[256];
    private int wordCount;
    private long[] shingles = new long[256];

    void clearWords() {
        wordCount = 0;
    }

    int wordCount() {
        return wordCount;
    }

    /** Drops the words added after there were {@code count}. */
    void truncateWords(int count) {
        wordCount = count;
    }

    void addWord(long hash) {
        if (wordCount == words.length) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        words[wordCount++] = hash;
    }

    /** Turns the words into k-word shingles; fewer than k words make one shingle of them all. */
    int shingle(int k) {
        int count = wordCount < k ? Math.min(wordCount, 1) : wordCount - k + 1;
        if (shingles.length < count) {
            shingles = new long[Math.max(count, shingles.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            long h = 0;
            for (int j = i; j < Math.min(i + k, wordCount); j++) {
                h = Long.rotateLeft(h, 23) * 0x9E3779B97F4A7C15L + words[j];
            }
            shingles[i] = Hashing.mix(h);
        }
        return count;
    }

    long[] shingles() {
        return shingles;
    }
}
