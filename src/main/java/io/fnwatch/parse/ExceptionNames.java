package io.fnwatch.parse;

/**
 * The exception class an error text names, as Google's and Azure's error records write it: the header of a
 * stack trace ({@code ValueError: …}, {@code Error: …}, {@code java.lang.IllegalStateException: …},
 * {@code System.InvalidOperationException : …}), the last line of a Python traceback, Go's {@code panic: …}, or
 * the worker's exception inside the Azure host's {@code Result: Failure\nException: ValueError: …}.
 * These are the formats Error Reporting documents for {@code ReportedErrorEvent.message}. What a name looks like
 * is {@link ErrorTypes}' rule, shared with the Lambda application lines; only the start of the text (and a
 * traceback's last line) is read, so the cost does not grow with the trace.
 */
final class ExceptionNames {

    /** How the Azure Functions host wraps an out-of-process worker's (Python, Node) exception in an RpcException. */
    private static final String RPC_FAILURE = "Result: Failure\nException: ";

    private static final int RPC_FAILURE_WITHIN = 200;

    private ExceptionNames() {}

    /** True when the text is a whole Python traceback (one entry), which is an error whatever its severity. */
    static boolean isTraceback(String text) {
        return text != null && text.startsWith(ErrorTypes.TRACEBACK) && text.indexOf('\n') > 0;
    }

    /** The exception class the text names, or null. */
    static String of(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.startsWith(ErrorTypes.TRACEBACK)) {
            return ErrorTypes.lastLineName(text, ErrorTypes.TRACEBACK.length());
        }
        int rpc = text.indexOf(RPC_FAILURE);
        int from = rpc >= 0 && rpc < RPC_FAILURE_WITHIN ? rpc + RPC_FAILURE.length() : 0;
        while (from < text.length() && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        return text.startsWith("panic: ", from) ? "panic" : ErrorTypes.leadingName(text, from, true);
    }
}
