package dev.anvil.gateway.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code x-ratelimit-*} headers: for requests and for tokens per minute, the limit, what remains, and how
 * long until the bucket is full again (as OpenAI writes durations: {@code 20ms}, {@code 1s}, {@code 6m0s}). Where a
 * key and its route both limit a kind, the one with less remaining is shown: it is the one the client meets first.
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    /** A bucket's state after a request took from it. */
    record Reading(Quota quota, long remaining, Duration untilFull) {
    }

    static Map<String, String> of(List<Reading> readings) {
        Map<String, String> headers = new LinkedHashMap<>();
        put(headers, "requests", tightest(readings, LimitKind.REQUESTS_PER_MINUTE));
        put(headers, "tokens", tightest(readings, LimitKind.TOKENS_PER_MINUTE));
        return headers;
    }

    private static Reading tightest(List<Reading> readings, LimitKind kind) {
        Reading tightest = null;
        for (Reading r : readings) {
            if (r.quota().kind() == kind && (tightest == null || r.remaining() < tightest.remaining())) tightest = r;
        }
        return tightest;
    }

    private static void put(Map<String, String> headers, String what, Reading reading) {
        if (reading == null) return;
        headers.put("x-ratelimit-limit-" + what, Long.toString(reading.quota().limit()));
        headers.put("x-ratelimit-remaining-" + what, Long.toString(Math.max(0, reading.remaining())));
        headers.put("x-ratelimit-reset-" + what, format(reading.untilFull()));
    }

    /** {@code 250ms} below a second; else hours, minutes and seconds as Go prints them ({@code 1m30.5s}, {@code 6m0s}). */
    static String format(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 1000) return millis + "ms";
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long rest = millis % 1000;
        StringBuilder out = new StringBuilder();
        if (hours > 0) out.append(hours).append('h');
        if (hours > 0 || minutes > 0) out.append(minutes).append('m');
        out.append(seconds);
        if (rest > 0) out.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
        return out.append('s').toString();
    }
}
