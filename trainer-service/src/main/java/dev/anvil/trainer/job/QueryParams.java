package dev.anvil.trainer.job;

import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.InvalidDataNameException;
import jakarta.ws.rs.BadRequestException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Query parameters read as text and checked here, so that a bad value is a 400 naming the parameter (JAX-RS would
 * answer a failed conversion with a bare 404).
 */
final class QueryParams {
    private QueryParams() {
    }

    /** A dataset name or version: one folder name. */
    static String folderName(String name, String value) {
        if (value == null) return null;
        try {
            return DataNames.require(value, "query parameter " + name);
        } catch (InvalidDataNameException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    static JobStatus status(String value) {
        if (value == null) return null;
        return Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equals(value.toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new BadRequestException("query parameter status '" + value
                        + "' must be one of " + Arrays.stream(JobStatus.values()).map(JobStatus::wireName)
                        .collect(Collectors.joining(", "))));
    }

    static int intInRange(String name, String value, int fallback, int min, int max) {
        if (value == null) return fallback;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("query parameter " + name + " '" + value + "' must be a whole number in "
                + min + ".." + max);
    }
}
