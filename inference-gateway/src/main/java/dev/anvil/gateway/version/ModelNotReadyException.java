package dev.anvil.gateway.version;

/** The name is served but its base model cannot answer now (loading, or failed to load): 503. */
public final class ModelNotReadyException extends RuntimeException {
    public ModelNotReadyException(String model, String why) {
        super("The model '" + model + "' " + why + ".");
    }
}
