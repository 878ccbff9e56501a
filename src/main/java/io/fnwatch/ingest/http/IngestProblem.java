package io.fnwatch.ingest.http;

/** A request that cannot be accepted: its HTTP status, a message safe to send back, and maybe Retry-After. */
final class IngestProblem extends Exception {

    private final int status;
    private final long retryAfterSeconds;
    private final String reason;

    IngestProblem(int status, String reason, String message) {
        this(status, reason, message, 0);
    }

    IngestProblem(int status, String reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    /** A short tag for metrics: {@code too_large}, {@code account}, {@code kafka}, ... */
    String reason() {
        return reason;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static IngestProblem tooLarge(String message) {
        return new IngestProblem(413, "too_large", message);
    }

    static IngestProblem badRequest(String message) {
        return new IngestProblem(400, "bad_request", message);
    }
}
