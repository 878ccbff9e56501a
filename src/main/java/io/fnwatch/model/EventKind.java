package io.fnwatch.model;

/** What one normalized log event says about its function. */
public enum EventKind {
    /** A completed invocation with its metrics (a Lambda REPORT line, a GCP or Azure completion line). */
    INVOCATION,
    /** A call the function made was denied by the cloud's authorization. */
    PERMISSION_DENIED,
    /** An error that is not itself an invocation record (e.g. "Task timed out" text lines). */
    ERROR,
    /** A runtime initialisation (cold start); carries the runtime when known. */
    INIT,
    /** The start of an invocation. */
    START,
    /**
     * A CloudWatch Embedded Metric Format record: custom metric values the function logged (Powertools for AWS
     * Lambda, the EMF libraries), in {@link FunctionEvent#metrics()}.
     */
    METRIC,
    /** Any other line the function or platform wrote. */
    LOG
}
