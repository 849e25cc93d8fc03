package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.SourceFormat;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Descriptive statistics of the kept records, accumulated as they are written. */
final class DatasetStats {
    private final Map<SourceFormat, Long> formats = new EnumMap<>(SourceFormat.class);
    private long records;
    private long turns;
    private long promptChars;
    private long answerChars;
    private long withSystem;
    private long withTool;

    void add(SourceFormat format, RecordSummary summary) {
        formats.merge(format, 1L, Long::sum);
        records++;
        turns += summary.turns();
        promptChars += summary.promptChars();
        answerChars += summary.answerChars();
        withSystem += summary.hasSystem() ? 1 : 0;
        withTool += summary.hasTool() ? 1 : 0;
    }

    /**
     * {@code formats} (records per source format id), {@code averageTurns}, {@code averagePromptChars},
     * {@code averageAnswerChars}, {@code withSystemPrompt} and {@code withToolTurns} (record counts).
     */
    Map<String, Object> toMap() {
        Map<String, Long> perFormat = new LinkedHashMap<>();
        formats.forEach((format, n) -> perFormat.put(format.id(), n));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("formats", perFormat);
        map.put("averageTurns", average(turns));
        map.put("averagePromptChars", average(promptChars));
        map.put("averageAnswerChars", average(answerChars));
        map.put("withSystemPrompt", withSystem);
        map.put("withToolTurns", withTool);
        return map;
    }

    private double average(long total) {
        return records == 0 ? 0 : Math.round(100.0 * total / records) / 100.0;
    }
}
