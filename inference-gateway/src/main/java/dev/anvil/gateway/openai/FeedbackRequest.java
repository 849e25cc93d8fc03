package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.gateway.live.Feedbacks;

/**
 * A {@code POST /v1/feedback} body, read and checked: the response {@code id} rated, its {@code rating} (1 or "up",
 * -1 or "down") and an optional {@code correction}.
 */
record FeedbackRequest(String id, int rating, String correction) {
    /** Longer than any response id this gateway makes. */
    static final int MAX_ID_CHARS = 64;

    static FeedbackRequest read(JsonNode body) {
        RequestFields fields = RequestFields.of(body);
        String id = fields.requiredString("id", MAX_ID_CHARS);
        JsonNode rating = fields.node("rating").orElseThrow(() ->
                OpenAiException.invalid("rating", "Missing required parameter: 'rating'."));
        String correction = fields.string("correction", Feedbacks.MAX_CORRECTION_CHARS).orElse(null);
        return new FeedbackRequest(id, rating(rating), correction);
    }

    private static int rating(JsonNode v) {
        if (v.isIntegralNumber() && (v.asLong() == 1 || v.asLong() == -1)) return v.asInt();
        if (v.isTextual() && v.textValue().equals("up")) return 1;
        if (v.isTextual() && v.textValue().equals("down")) return -1;
        String shown = v.toString(); // JSON text: a string shows its quotes
        if (shown.length() > 40) shown = shown.substring(0, 40) + "...";
        throw OpenAiException.invalid("rating", "Invalid value for 'rating': expected 1, -1, \"up\" or \"down\", but "
                + "got " + shown + " instead.");
    }
}
