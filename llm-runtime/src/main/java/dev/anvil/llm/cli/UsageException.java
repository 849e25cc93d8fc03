package dev.anvil.llm.cli;

/** A command line that cannot run: the message says what is wrong; the CLI prints it with the usage and exits 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
