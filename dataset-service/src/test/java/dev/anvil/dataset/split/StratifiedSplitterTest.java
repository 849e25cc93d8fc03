package dev.anvil.dataset.split;

import dev.anvil.dataset.ingest.SourceFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Random;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StratifiedSplitterTest {
    private static final Map<SourceFormat, Long> COUNTS =
            Map.of(SourceFormat.ALPACA, 95L, SourceFormat.OPENAI_CHAT, 33L, SourceFormat.TEXT, 4L);

    /** The order in which records arrive: formats interleaved at random. */
    private static List<SourceFormat> arrivals() {
        List<SourceFormat> order = new ArrayList<>();
        COUNTS.forEach((format, n) -> {
            for (int i = 0; i < n; i++) {
                order.add(format);
            }
        });
        order.sort(Comparator.comparing(SourceFormat::ordinal));
        Collections.shuffle(order, new Random(5));
        return order;
    }

    private static List<Boolean> split(long seed) {
        StratifiedSplitter splitter = new StratifiedSplitter(COUNTS, 0.2, seed);
        return arrivals().stream().map(splitter::toValidation).toList();
    }

    @Test
    void eachFormatContributesItsRoundedShare() {
        List<SourceFormat> order = arrivals();
        List<Boolean> chosen = split(11);
        for (SourceFormat format : COUNTS.keySet()) {
            long picked = 0;
            for (int i = 0; i < order.size(); i++) {
                picked += order.get(i) == format && chosen.get(i) ? 1 : 0;
            }
            assertEquals(Math.round(0.2 * COUNTS.get(format)), picked, format.id());
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        assertEquals(split(3), split(3));
        assertNotEquals(split(3), split(4));
    }

    @Test
    void offeringMoreRecordsThanCountedIsAnError() {
        StratifiedSplitter splitter = new StratifiedSplitter(Map.of(SourceFormat.TEXT, 1L), 0.5, 0);
        splitter.toValidation(SourceFormat.TEXT);
        assertThrows(IllegalStateException.class, () -> splitter.toValidation(SourceFormat.TEXT));
    }
}
