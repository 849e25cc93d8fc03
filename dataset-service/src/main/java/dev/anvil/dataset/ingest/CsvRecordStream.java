package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CSV with a header row naming the columns ({@code prompt,completion}, {@code instruction,input,output},
 * {@code instruction,response}, {@code text}, optionally {@code system}). RFC 4180 quoting: fields in double quotes may
 * hold commas, doubled quotes and line breaks. Each row becomes a JSON object keyed by the header and goes through the
 * same per-record shape detection as JSON. A record spanning several lines is bounded as a whole by the line bound.
 */
final class CsvRecordStream implements RecordStream {
    private final BoundedLineReader lines;
    private final long maxRecordChars;
    private final RecordDecoder decoder = new RecordDecoder();
    private List<String> header;

    CsvRecordStream(InputStream in, long maxLineBytes) {
        this.lines = new BoundedLineReader(in, maxLineBytes);
        this.maxRecordChars = maxLineBytes;
    }

    @Override
    public IngestedRecord next() throws IOException {
        if (header == null && !readHeader()) {
            return null;
        }
        if (!lines.next()) {
            return null;
        }
        long line = lines.lineNumber();
        if (lines.isBlank() && lines.utf8Error() == null) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.BLANK, "blank line");
        }
        Row row = readRow();
        if (row.utf8Error != null) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, row.utf8Error);
        }
        if (row.unterminated) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED,
                    "unterminated quoted field: the file ends inside quotes");
        }
        if (row.fields.size() != header.size()) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED,
                    "row has " + row.fields.size() + " fields, the header has " + header.size());
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < header.size(); i++) {
            record.put(header.get(i), row.fields.get(i));
        }
        try {
            return new IngestedRecord.Parsed(line, decoder.decode(record));
        } catch (MalformedRecordException e) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, e.getMessage());
        }
    }

    private boolean readHeader() throws IOException {
        do {
            if (!lines.next()) {
                return false;
            }
        } while (lines.isBlank());
        Row row = readRow();
        if (row.utf8Error != null || row.unterminated) {
            throw new IllegalArgumentException("CSV header at line " + lines.lineNumber() + " is unreadable: "
                    + (row.utf8Error != null ? row.utf8Error : "unterminated quoted field"));
        }
        header = new ArrayList<>(row.fields.size());
        for (String name : row.fields) {
            String column = name.trim().toLowerCase(Locale.ROOT);
            if (header.contains(column)) {
                throw new IllegalArgumentException("CSV header names column '" + column + "' twice");
            }
            header.add(column);
        }
        return true;
    }

    /** Parses one record starting at the current line, pulling further lines while a quoted field is open. */
    private Row readRow() throws IOException {
        Row row = new Row();
        long recordLine = lines.lineNumber();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        long recordChars = 0;
        while (true) {
            if (row.utf8Error == null && lines.utf8Error() != null) {
                row.utf8Error = "line " + lines.lineNumber() + ": " + lines.utf8Error();
            }
            char[] chars = lines.chars();
            int length = lines.length();
            recordChars += length + 1;
            if (recordChars > maxRecordChars) {
                throw new InputLimitExceededException(BoundedLineReader.MAX_LINE_BYTES_KEY, maxRecordChars,
                        "the CSV record at line " + recordLine + " is longer than "
                                + BoundedLineReader.MAX_LINE_BYTES_KEY + " = " + maxRecordChars);
            }
            for (int i = 0; i < length; i++) {
                char c = chars[i];
                if (quoted) {
                    if (c != '"') {
                        field.append(c);
                    } else if (i + 1 < length && chars[i + 1] == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else if (c == ',') {
                    row.fields.add(field.toString());
                    field.setLength(0);
                    fieldWasQuoted = false;
                } else if (c == '"' && field.isEmpty() && !fieldWasQuoted) {
                    quoted = true;
                    fieldWasQuoted = true;
                } else {
                    field.append(c);
                }
            }
            if (!quoted) {
                row.fields.add(field.toString());
                return row;
            }
            field.append('\n');
            if (!lines.next()) {
                row.unterminated = true;
                row.fields.add(field.toString());
                return row;
            }
        }
    }

    private static final class Row {
        final List<String> fields = new ArrayList<>();
        String utf8Error;
        boolean unterminated;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
