package dev.anvil.dataset.ingest;

/** A record that is valid JSON/CSV but not one of the supported shapes; the message names the field at fault. */
public class MalformedRecordException extends Exception {
    public MalformedRecordException(String message) {
        super(message);
    }
}
