package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

/** JSON Lines: one record per line, each line bounded and parsed on its own, so one bad line spoils only itself. */
final class JsonLinesRecordStream implements RecordStream {
    private final BoundedLineReader lines;
    private final ObjectMapper mapper;
    private final RecordDecoder decoder = new RecordDecoder();

    JsonLinesRecordStream(InputStream in, long maxLineBytes) {
        this.lines = new BoundedLineReader(in, maxLineBytes);
        this.mapper = Json.boundedMapper(maxLineBytes);
    }

    @Override
    public IngestedRecord next() throws IOException {
        if (!lines.next()) {
            return null;
        }
        long line = lines.lineNumber();
        if (lines.utf8Error() != null) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, lines.utf8Error());
        }
        if (lines.isBlank()) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.BLANK, "blank line");
        }
        try (JsonParser parser = mapper.getFactory().createParser(lines.chars(), 0, lines.length())) {
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED,
                        "not JSON: more content after the record at column " + parser.currentTokenLocation().getColumnNr());
            }
            return new IngestedRecord.Parsed(line, decoder.decode(node));
        } catch (JsonProcessingException e) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, "not JSON: " + e.getOriginalMessage());
        } catch (MalformedRecordException e) {
            return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
