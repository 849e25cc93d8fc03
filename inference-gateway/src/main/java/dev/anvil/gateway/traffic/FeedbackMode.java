package dev.anvil.gateway.traffic;

import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;

import java.util.Locale;

/**
 * What a traffic read does with clients' ratings ({@code feedback} query parameter): {@code keep} serves the records
 * as the model answered; {@code apply} makes them ready to train on, as retraining wants them: an answer rated down
 * with a correction becomes the correction, one rated down without is left out (the model's answer was wrong and
 * nothing better is known), every other stays.
 */
public enum FeedbackMode {
    KEEP, APPLY;

    static FeedbackMode parse(String value) {
        if (value == null) return KEEP;
        for (FeedbackMode mode : values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(value.trim())) return mode;
        }
        throw RefusedException.invalid("query parameter feedback '" + SafeText.of(value) + "' must be keep or apply");
    }

    /** What a sample's record becomes under this mode. */
    enum Outcome { UNCHANGED, CORRECTED, LEFT_OUT }

    Outcome outcome(TrafficPage.Rating rating) {
        if (this == KEEP || rating == null || !rating.isDown()) return Outcome.UNCHANGED;
        return rating.correction() == null ? Outcome.LEFT_OUT : Outcome.CORRECTED;
    }

    /** {@code record} (decrypted JSON) as this mode makes it for {@code rating} (null: none); null when left out. */
    byte[] apply(byte[] record, TrafficPage.Rating rating) {
        return switch (outcome(rating)) {
            case UNCHANGED -> record;
            case CORRECTED -> TrafficRecord.withAnswer(record, rating.correction());
            case LEFT_OUT -> null;
        };
    }
}
