package dev.anvil.gateway.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations in the {@code x-ratelimit-reset-*} headers, written as OpenAI writes them. */
class RateLimitHeadersTest {
    @Test
    void durationsAreWrittenAsOpenAiWritesThem() {
        assertEquals("0ms", RateLimitHeaders.format(Duration.ZERO));
        assertEquals("20ms", RateLimitHeaders.format(Duration.ofMillis(20)));
        assertEquals("1s", RateLimitHeaders.format(Duration.ofSeconds(1)));
        assertEquals("3.6s", RateLimitHeaders.format(Duration.ofMillis(3600)));
        assertEquals("6m0s", RateLimitHeaders.format(Duration.ofMinutes(6)));
        assertEquals("1m30.25s", RateLimitHeaders.format(Duration.ofMillis(90_250)));
        assertEquals("2h0m5s", RateLimitHeaders.format(Duration.ofSeconds(7205)));
    }
}
