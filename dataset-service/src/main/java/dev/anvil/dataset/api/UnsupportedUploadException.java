package dev.anvil.dataset.api;

/** An upload whose format cannot be told from its media type or file name (answered 415). */
class UnsupportedUploadException extends RuntimeException {
    UnsupportedUploadException(String message) {
        super(message);
    }
}
