package dev.anvil.dataset.api;

import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.version.CleaningPipelineFactory;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/**
 * The per-upload cleaning knobs as query parameters. They arrive as text and are parsed here, so a bad value is
 * answered 400 naming the parameter (JAX-RS would answer 404 for a query parameter it cannot convert). Each is read
 * as a list so that a repeated one is refused rather than silently resolved to one of its values.
 */
public class CleaningQuery {

    @RestQuery
    List<String> validationFraction;

    @RestQuery
    List<String> seed;

    @RestQuery
    List<String> strict;

    @RestQuery
    List<String> nearDuplicateThreshold;

    CleaningSettings toSettings(CleaningPipelineFactory pipelines) {
        CleaningSettings defaults = CleaningSettings.DEFAULTS;
        String fractionText = single("validationFraction", validationFraction);
        String seedText = single("seed", seed);
        String strictText = single("strict", strict);
        String thresholdText = single("nearDuplicateThreshold", nearDuplicateThreshold);
        double fraction = number("validationFraction", fractionText, defaults.validationFraction());
        if (!(fraction >= 0 && fraction < 1)) {
            throw invalid("validationFraction", fractionText, "a number in [0, 1)");
        }
        double threshold = number("nearDuplicateThreshold", thresholdText, defaults.nearDuplicateThreshold());
        if (!(threshold > 0 && threshold <= 1)) {
            throw invalid("nearDuplicateThreshold", thresholdText, "a number in (0, 1]");
        }
        long seedValue;
        try {
            seedValue = seedText == null ? defaults.seed() : Long.parseLong(seedText.trim());
        } catch (NumberFormatException e) {
            throw invalid("seed", seedText, "an integer");
        }
        boolean strictValue;
        if (strictText == null) {
            strictValue = defaults.strict();
        } else if ("true".equalsIgnoreCase(strictText.trim()) || "false".equalsIgnoreCase(strictText.trim())) {
            strictValue = Boolean.parseBoolean(strictText.trim());
        } else {
            throw invalid("strict", strictText, "true or false");
        }
        return pipelines.settings(fraction, seedValue, strictValue, threshold);
    }

    /** The parameter's value, or null when it is absent. */
    private static String single(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidInputException("query parameter '" + name + "' is repeated (" + values.size()
                    + " times); give it once");
        }
        return values.get(0);
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
