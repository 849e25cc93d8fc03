package dev.anvil.llm.model;

/** A config.json this library cannot run faithfully: the message names the field at fault. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
