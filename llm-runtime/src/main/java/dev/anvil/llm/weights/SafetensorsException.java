package dev.anvil.llm.weights;

/** A checkpoint file that cannot be read as it is: the message names the file and, where known, the tensor. */
public class SafetensorsException extends RuntimeException {
    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
