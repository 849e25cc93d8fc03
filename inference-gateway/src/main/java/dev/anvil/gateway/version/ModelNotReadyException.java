package dev.anvil.gateway.version;

/**
 * The name is served but its model cannot answer now: 503. While it is loading the answer says when to retry
 * ({@code Retry-After}, which OpenAI's SDKs wait for); a model that failed to load will not come by waiting.
 */
public final class ModelNotReadyException extends RuntimeException {
    private final boolean loading;

    private ModelNotReadyException(String model, String why, boolean loading) {
        super("The model '" + model + "' " + why + ".");
        this.loading = loading;
    }

    /** The model is being loaded (on first use, or at start-up): worth retrying in a moment. */
    public static ModelNotReadyException loading(String model) {
        return new ModelNotReadyException(model, "is loading; retry shortly", true);
    }

    /** The model is not served and waiting will not change it (failed to load, or not loaded here at all). */
    public static ModelNotReadyException unavailable(String model, String why) {
        return new ModelNotReadyException(model, why, false);
    }

    public boolean loading() {
        return loading;
    }
}
