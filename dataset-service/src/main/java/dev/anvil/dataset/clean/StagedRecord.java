package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.SourceFormat;

/**
 * A kept record between the two passes, one tab-separated line of a temporary file: what the second pass needs to
 * split, drop and count it without parsing its JSON again, then the canonical JSON itself (which holds no tab or
 * line break: JSON escapes them inside strings).
 */
record StagedRecord(long line, SourceFormat format, boolean hasPrompt, long promptHash, int piiRedactions,
                    RecordSummary summary, String json) {

    String toLine() {
        return line + "\t" + format.ordinal() + "\t" + (hasPrompt ? 1 : 0) + "\t" + promptHash + "\t" + piiRedactions
                + "\t" + summary.turns() + "\t" + summary.promptChars() + "\t" + summary.answerChars()
                + "\t" + (summary.hasSystem() ? 1 : 0) + "\t" + (summary.hasTool() ? 1 : 0) + "\t" + json;
    }

    static StagedRecord parse(String text) {
        long[] fields = new long[10];
        int at = 0;
        for (int i = 0; i < fields.length; i++) {
            int tab = text.indexOf('\t', at);
            fields[i] = Long.parseLong(text, at, tab, 10);
            at = tab + 1;
        }
        RecordSummary summary = new RecordSummary((int) fields[5], (int) fields[6], (int) fields[7], fields[8] == 1,
                fields[9] == 1);
        return new StagedRecord(fields[0], SourceFormat.values()[(int) fields[1]], fields[2] == 1, fields[3],
                (int) fields[4], summary, text.substring(at));
    }
}
