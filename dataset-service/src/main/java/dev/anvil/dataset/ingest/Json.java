package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Jackson set up for reading untrusted uploads: strings and nesting bounded. */
final class Json {
    /** How deep arrays and objects may sit inside one another; fixed, since no real record comes near it. */
    static final int MAX_NESTING = 64;
    /** The nesting bound's name in an {@link InputLimitExceededException}; it is fixed, so it has no key. */
    static final String NESTING_LIMIT = "the JSON nesting depth limit";

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

    /**
     * Whether the read constraint {@code parser} just broke is the nesting bound. Jackson's exception does not say
     * which bound it was (and its message names Java methods), but Jackson enters a level before checking its depth.
     */
    static boolean nestedTooDeep(JsonParser parser) {
        return parser.getParsingContext().getNestingDepth() > MAX_NESTING;
    }
}
