package dev.anvil.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/** OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}, nulls written as OpenAI does. */
public record OpenAiError(Body error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String message, String type, String param, String code) {
    }

    public static OpenAiError of(String message, String type, String param, String code) {
        return new OpenAiError(new Body(message, type, param, code));
    }

    /** The type OpenAI gives a status when nothing more specific applies. */
    public static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
