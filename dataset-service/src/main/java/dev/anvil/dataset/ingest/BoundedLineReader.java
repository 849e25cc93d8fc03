package dev.anvil.dataset.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads an upload line by line with a hard bound on the line length, decoding strict UTF-8.
 *
 * <p>A line longer than the bound refuses the upload as soon as the bound is passed, so a hostile file without line
 * breaks never gets buffered. Invalid UTF-8 does not stop reading: the line is decoded with replacement characters
 * (so that a caller can still find where a CSV record ends) and {@link #utf8Error()} says where the first bad byte is.
 * The buffers are reused from line to line: the reader's memory is bounded by the longest line.
 */
public final class BoundedLineReader implements Closeable {
    public static final String MAX_LINE_BYTES_KEY = "anvil.dataset.max-line-bytes";

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int end;
    private byte[] line = new byte[4096];
    private int lineLength;
    private char[] chars = new char[4096];
    private int charLength;
    private long lineNumber;
    private String utf8Error;
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);

    public BoundedLineReader(InputStream in, long maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException(MAX_LINE_BYTES_KEY + " must be positive, got " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = (int) Math.min(maxLineBytes, Integer.MAX_VALUE - 16);
    }

    /** Advances to the next line; false at the end of the input. A final line without a line break counts. */
    public boolean next() throws IOException {
        lineLength = 0;
        boolean sawBytes = false;
        while (true) {
            if (position == end && !fill()) {
                if (!sawBytes) {
                    return false;
                }
                break;
            }
            sawBytes = true;
            int newline = indexOfNewline();
            int stop = newline < 0 ? end : newline;
            append(stop - position);
            if (newline >= 0) {
                position = newline + 1;
                break;
            }
            position = end;
        }
        lineNumber++;
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        int start = lineNumber == 1 && startsWithBom() ? UTF8_BOM.length : 0;
        decode(start);
        return true;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Where the current line stops being UTF-8, or null when it is valid. */
    public String utf8Error() {
        return utf8Error;
    }

    /** The decoded characters of the current line (valid up to {@link #length()}; reused by the next line). */
    public char[] chars() {
        return chars;
    }

    public int length() {
        return charLength;
    }

    public String text() {
        return new String(chars, 0, charLength);
    }

    public boolean isBlank() {
        for (int i = 0; i < charLength; i++) {
            if (!Character.isWhitespace(chars[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        while (n == 0) {
            n = in.read(buffer);
        }
        if (n < 0) {
            return false;
        }
        position = 0;
        end = n;
        return true;
    }

    private int indexOfNewline() {
        for (int i = position; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int count) {
        if ((long) lineLength + count > maxLineBytes) {
            throw new InputLimitExceededException(MAX_LINE_BYTES_KEY, maxLineBytes,
                    "line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES_KEY + " = " + maxLineBytes
                            + " bytes");
        }
        if (lineLength + count > line.length) {
            line = java.util.Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(line.length * 2L,
                    (long) lineLength + count)));
        }
        System.arraycopy(buffer, position, line, lineLength, count);
        lineLength += count;
    }

    private boolean startsWithBom() {
        return lineLength >= 3 && line[0] == UTF8_BOM[0] && line[1] == UTF8_BOM[1] && line[2] == UTF8_BOM[2];
    }

    private void decode(int start) {
        int byteCount = lineLength - start;
        if (chars.length < byteCount) {
            chars = new char[Math.max(byteCount, chars.length * 2)];
        }
        utf8Error = null;
        if (isAscii(start)) {
            for (int i = 0; i < byteCount; i++) {
                chars[i] = (char) line[start + i];
            }
            charLength = byteCount;
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, start, byteCount);
        CharBuffer out = CharBuffer.wrap(chars);
        strict.reset();
        CoderResult result = strict.decode(bytes, out, true);
        if (result.isError()) {
            utf8Error = "not valid UTF-8 at byte " + (bytes.position() - start + 1) + " of the line";
            bytes = ByteBuffer.wrap(line, start, byteCount);
            out = CharBuffer.wrap(chars);
            lenient.reset();
            lenient.decode(bytes, out, true);
            lenient.flush(out);
        } else {
            strict.flush(out);
        }
        charLength = out.position();
    }

    private boolean isAscii(int start) {
        for (int i = start; i < lineLength; i++) {
            if (line[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
