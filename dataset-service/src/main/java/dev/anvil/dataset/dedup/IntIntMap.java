package dev.anvil.dataset.dedup;

import java.util.Arrays;

/** Open-addressing int to int map in two primitive arrays (linear probing); 0 is not a valid key. */
final class IntIntMap {
    static final int MISSING = -1;
    private int[] keys;
    private int[] values;
    private int mask;
    private int size;

    IntIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new int[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    int get(int key) {
        for (int slot = Hashing.mix32(key) & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return values[slot];
            }
            if (keys[slot] == 0) {
                return MISSING;
            }
        }
    }

    void putIfAbsent(int key, int value) {
        int slot = Hashing.mix32(key) & mask;
        while (keys[slot] != 0) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        if (++size > keys.length * 0.7) {
            grow();
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = Hashing.mix32(oldKeys[i]) & mask;
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
        Arrays.fill(oldKeys, 0);
    }
}
