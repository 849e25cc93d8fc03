package dev.anvil.dataset.api;

import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.version.CleaningPipelineFactory;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The per-upload cleaning knobs as query parameters. They arrive as text and are parsed here, so a bad value is
 * answered 400 naming the parameter (JAX-RS would answer 404 for a query parameter it cannot convert).
 */
public class CleaningQuery {

    @RestQuery
    String validationFraction;

    @RestQuery
    String seed;

    @RestQuery
    String strict;

    @RestQuery
    String nearDuplicateThreshold;

    CleaningSettings toSettings(CleaningPipelineFactory pipelines) {
        CleaningSettings defaults = CleaningSettings.DEFAULTS;
        double fraction = number("validationFraction", validationFraction, defaults.validationFraction());
        if (!(fraction >= 0 && fraction < 1)) {
            throw invalid("validationFraction", validationFraction, "a number in [0, 1)");
        }
        double threshold = number("nearDuplicateThreshold", nearDuplicateThreshold,
                defaults.nearDuplicateThreshold());
        if (!(threshold > 0 && threshold <= 1)) {
            throw invalid("nearDuplicateThreshold", nearDuplicateThreshold, "a number in (0, 1]");
        }
        long seedValue;
        try {
            seedValue = seed == null ? defaults.seed() : Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            throw invalid("seed", seed, "an integer");
        }
        boolean strictValue;
        if (strict == null) {
            strictValue = defaults.strict();
        } else if ("true".equalsIgnoreCase(strict.trim()) || "false".equalsIgnoreCase(strict.trim())) {
            strictValue = Boolean.parseBoolean(strict.trim());
        } else {
            throw invalid("strict", strict, "true or false");
        }
        return pipelines.settings(fraction, seedValue, strictValue, threshold);
    }

    private static double number(String name, String value, double fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, value, "a number");
        }
    }

    private static InvalidInputException invalid(String name, String value, String expected) {
        return new InvalidInputException("query parameter '" + name + "' must be " + expected + ", got '"
                + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
    }
}
