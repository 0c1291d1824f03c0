package io.dropship.platform.outbox;

/**
 * An event that can never be applied, however often it is tried: malformed, or missing what the consumer
 * needs. It goes straight to the dead-letter topic without retries.
 */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
