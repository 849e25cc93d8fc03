package dev.anvil.eval.verdict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ReasonFormat}: 4 significant digits, no trailing zeros, no floating-point noise. */
class ReasonFormatTest {

    @Test
    void numbers() {
        assertEquals("3.21", ReasonFormat.number(3.21));
        assertEquals("0.1235", ReasonFormat.number(0.123456));
        assertEquals("1.001", ReasonFormat.number(1.0012));
        assertEquals("100", ReasonFormat.number(100));
        assertEquals("1235", ReasonFormat.number(1234.56));
        assertEquals("0", ReasonFormat.number(0));
        assertEquals("-0.5", ReasonFormat.number(-0.5));
        assertEquals("0.1", ReasonFormat.number(0.8 - 0.7));
        assertEquals("0.0000001", ReasonFormat.number(1e-7));
        assertEquals("NaN", ReasonFormat.number(Double.NaN));
        assertEquals("-Infinity", ReasonFormat.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void percentagesPointsAndMovements() {
        assertEquals("12.3%", ReasonFormat.percent(0.123));
        assertEquals("2%", ReasonFormat.percent(0.02));
        assertEquals("7.5 points", ReasonFormat.points(0.125 - 0.05));
        assertEquals("12.3% lower", ReasonFormat.movement(0.123, ReasonFormat::percent, "lower", "higher"));
        assertEquals("0.05 higher", ReasonFormat.movement(-0.05, ReasonFormat::number, "lower", "higher"));
        assertEquals("unchanged", ReasonFormat.movement(0, ReasonFormat::number, "lower", "higher"));
    }
}
