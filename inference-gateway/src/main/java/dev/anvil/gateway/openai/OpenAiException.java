package dev.anvil.gateway.openai;

/**
 * A failure of a {@code /v1} request, answered in OpenAI's error shape with its status: what an OpenAI client
 * expects, so that its own exception types (BadRequest, NotFound, RateLimit, ...) come out.
 */
public final class OpenAiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public OpenAiException(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 naming the parameter at fault. */
    public static OpenAiException invalid(String param, String message) {
        return new OpenAiException(400, message, "invalid_request_error", param, null);
    }

    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(404, "The model '" + model + "' does not exist or you do not have access to it.",
                "invalid_request_error", "model", "model_not_found");
    }

    public static OpenAiException contextLengthExceeded(String param, String message) {
        return new OpenAiException(400, message, "invalid_request_error", param, "context_length_exceeded");
    }

    /** 400: a content filter refused the request's {@code param}. */
    public static OpenAiException contentFiltered(String param, String message) {
        return new OpenAiException(400, message, "invalid_request_error", param, "content_filter");
    }

    public int status() {
        return status;
    }

    public OpenAiError toError() {
        return OpenAiError.of(getMessage(), type, param, code);
    }
}
