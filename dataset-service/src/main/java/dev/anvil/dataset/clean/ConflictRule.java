package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.LongKeyIndex;
import dev.anvil.dataset.ingest.SourceFormat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds conflicting answers: a record whose normalised prompt (every turn before the last assistant turn) was kept
 * before with a different final answer. Every such record is counted; {@link ConflictPolicy} says which are removed.
 * Under {@code DROP_ALL} the first record of a conflicting prompt was already kept when the conflict shows up, so the
 * pipeline asks {@link #dropsKept} when it writes the kept records out. Records without a prompt (plain text) cannot
 * conflict.
 */
final class ConflictRule implements CleaningRule {
    private final ConflictPolicy policy;
    private final LongKeyIndex prompts = new LongKeyIndex();
    private long[] answers = new long[1024];
    private long[] firstTags = new long[1024];
    private byte[] formats = new byte[1024];
    private boolean[] conflicted = new boolean[1024];
    private long conflicts;

    ConflictRule(ConflictPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String reason() {
        return Rejection.CONFLICT;
    }

    @Override
    public Optional<String> check(Candidate record) {
        if (!record.hasPrompt()) {
            return Optional.empty();
        }
        int id = prompts.find(record.promptHash());
        if (id == LongKeyIndex.MISSING || answers[id] == record.answerHash()) {
            return Optional.empty();
        }
        conflicts++;
        conflicted[id] = true;
        return policy == ConflictPolicy.KEEP_ALL ? Optional.empty()
                : Optional.of("same prompt as " + record.describe(firstTags[id]) + " with a different answer");
    }

    @Override
    public void accept(Candidate record) {
        if (!record.hasPrompt() || prompts.find(record.promptHash()) != LongKeyIndex.MISSING) {
            return;
        }
        int id = prompts.add(record.promptHash());
        if (id == answers.length) {
            int size = answers.length * 2;
            answers = Arrays.copyOf(answers, size);
            firstTags = Arrays.copyOf(firstTags, size);
            formats = Arrays.copyOf(formats, size);
            conflicted = Arrays.copyOf(conflicted, size);
        }
        answers[id] = record.answerHash();
        firstTags[id] = record.tag();
        formats[id] = (byte) record.conversation().format().ordinal();
    }

    /** Records counted as conflicting: those whose prompt had another answer before them. */
    long conflicts() {
        return conflicts;
    }

    /** Whether a kept record with this prompt must still go because the policy is DROP_ALL and it conflicts. */
    boolean dropsKept(boolean hasPrompt, long promptHash) {
        if (policy != ConflictPolicy.DROP_ALL || !hasPrompt) {
            return false;
        }
        int id = prompts.find(promptHash);
        return id != LongKeyIndex.MISSING && conflicted[id];
    }

    /** Per format, how many kept training-upload records {@link #dropsKept} will remove. */
    Map<SourceFormat, Long> keptToDropInUpload() {
        Map<SourceFormat, Long> counts = new EnumMap<>(SourceFormat.class);
        if (policy == ConflictPolicy.DROP_ALL) {
            for (int id = 0; id < prompts.size(); id++) {
                if (conflicted[id] && firstTags[id] > 0) {
                    counts.merge(SourceFormat.values()[formats[id]], 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
