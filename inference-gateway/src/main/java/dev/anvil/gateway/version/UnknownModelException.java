package dev.anvil.gateway.version;

/** Nothing is served under this name (OpenAI's 404 {@code model_not_found}). */
public final class UnknownModelException extends RuntimeException {
    private final String model;

    public UnknownModelException(String model) {
        super("The model '" + model + "' does not exist or you do not have access to it.");
        this.model = model;
    }

    public String model() {
        return model;
    }
}
