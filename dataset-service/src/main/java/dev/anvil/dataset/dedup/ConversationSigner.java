package dev.anvil.dataset.dedup;

import dev.anvil.dataset.ingest.Conversation;

/** Computes MinHash signatures of conversations, reusing its scratch buffers: one per thread. */
public final class ConversationSigner {
    private final ShingleBuffer shingles = new ShingleBuffer();
    private final MinHasher minHasher;

    public ConversationSigner(int signatureSize) {
        this.minHasher = new MinHasher(signatureSize);
    }

    /** The signature of the conversation's shingles, or null when it has no words to shingle. */
    public int[] signature(Conversation conversation) {
        int count = TextFingerprints.shingles(conversation, shingles);
        int[] signature = new int[minHasher.size()];
        return minHasher.signature(shingles.shingles(), count, signature) ? signature : null;
    }
}
