package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Jackson set up for reading untrusted uploads: strings and nesting bounded. */
final class Json {
    private static final int MAX_NESTING = 64;

    private Json() {
    }

    static ObjectMapper boundedMapper(long maxLineBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(maxLineBytes, Integer.MAX_VALUE - 16))
                        .maxNestingDepth(MAX_NESTING)
                        .build())
                .build();
        return new ObjectMapper(factory);
    }
}
