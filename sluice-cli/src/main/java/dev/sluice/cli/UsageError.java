package dev.sluice.cli;

/** A bad flag value or argument: exits 2 with its one-line message, before any work starts. */
final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
