package dev.anvil.trainer.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void warmUpThenDecay() {
        LrSchedule cosine = new LrSchedule("cosine", 1e-3, 4, 104);
        assertEquals(0.2e-3, cosine.at(0), EPS);
        assertEquals(0.8e-3, cosine.at(3), EPS);
        assertEquals(1e-3, cosine.at(4), EPS);
        assertEquals(0.5e-3, cosine.at(54), EPS);
        assertEquals(0.0, cosine.at(104), EPS);
        LrSchedule linear = new LrSchedule("LINEAR", 1e-3, 0, 100);
        assertEquals(1e-3, linear.at(0), EPS);
        assertEquals(0.25e-3, linear.at(75), EPS);
        assertEquals(1e-3, new LrSchedule("constant", 1e-3, 2, 10).at(9), EPS);
    }

    @Test
    void unknownKindIsRejectedByName() {
        assertEquals("scheduler 'step' is not one of constant, linear, cosine",
                assertThrows(IllegalArgumentException.class, () -> new LrSchedule("step", 1e-3, 0, 10)).getMessage());
    }
}
