package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.ConversationSigner;
import dev.anvil.dataset.dedup.TextFingerprints;
import dev.anvil.dataset.ingest.Conversation;

/**
 * A record going through the rules, with its fingerprints computed on first use. Records of the fixed validation file
 * are tagged with their negated line number in the indices, so that a match can say which file it came from.
 */
final class Candidate {
    private final long line;
    private final boolean validation;
    private final ConversationSigner signer;
    private Conversation conversation;
    private boolean hashed;
    private long contentHash;
    private long promptHash;
    private long answerHash;
    private boolean hasPrompt;
    private int[] signature;
    private boolean signed;

    Candidate(long line, boolean validation, Conversation conversation, ConversationSigner signer) {
        this.line = line;
        this.validation = validation;
        this.conversation = conversation;
        this.signer = signer;
    }

    long line() {
        return line;
    }

    boolean isValidation() {
        return validation;
    }

    /** The index tag of this record: its line, negated for the validation file. */
    long tag() {
        return validation ? -line : line;
    }

    Conversation conversation() {
        return conversation;
    }

    /** Replaces the conversation (after anonymisation); fingerprints are computed from the new one. */
    void replace(Conversation anonymised) {
        this.conversation = anonymised;
        this.hashed = false;
        this.signed = false;
    }

    long contentHash() {
        hash();
        return contentHash;
    }

    boolean hasPrompt() {
        hash();
        return hasPrompt;
    }

    long promptHash() {
        hash();
        return promptHash;
    }

    long answerHash() {
        hash();
        return answerHash;
    }

    /** The MinHash signature, or null when the record has no words to shingle. */
    int[] signature() {
        if (!signed) {
            signature = signer.signature(conversation);
            signed = true;
        }
        return signature;
    }

    /** How a matched record is named in a rejection detail. */
    String describe(long matchTag) {
        if (matchTag < 0) {
            return "validation file line " + (-matchTag);
        }
        return validation ? "line " + matchTag + " of the training upload (leakage into validation)"
                : "line " + matchTag;
    }

    private void hash() {
        if (!hashed) {
            TextFingerprints.Hashes hashes = TextFingerprints.hashes(conversation);
            contentHash = hashes.content();
            hasPrompt = hashes.hasPrompt();
            promptHash = hashes.prompt();
            answerHash = hashes.answer();
            hashed = true;
        }
    }
}
