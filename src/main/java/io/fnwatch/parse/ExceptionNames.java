package io.fnwatch.parse;

/**
 * The exception class an error text names, as Google's and Azure's error records write it: the header of a
 * stack trace ({@code ValueError: …}, {@code Error: …}, {@code java.lang.IllegalStateException: …},
 * {@code System.InvalidOperationException: …}), the last line of a Python traceback, Go's {@code panic: …}, or
 * the worker's exception inside the Azure host's {@code Result: Failure\nException: ValueError: …}.
 * These are the formats Error Reporting documents for {@code ReportedErrorEvent.message}. Only the first line
 * (and a traceback's last) is read, so the cost does not grow with the trace.
 */
final class ExceptionNames {

    private static final String TRACEBACK = "Traceback (most recent call last):";
    /** How the Azure Functions host wraps an out-of-process worker's (Python, Node) exception in an RpcException. */
    private static final String RPC_FAILURE = "Result: Failure\nException: ";

    private static final int RPC_FAILURE_WITHIN = 200;
    /** Longer "names" are prose, not a class. */
    private static final int MAX_NAME = 200;

    private ExceptionNames() {}

    /** True when the text is a whole Python traceback (one entry), which is an error whatever its severity. */
    static boolean isTraceback(String text) {
        return text != null && text.startsWith(TRACEBACK) && text.indexOf('\n') > 0;
    }

    /** The exception class the text names, or null. */
    static String of(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.startsWith(TRACEBACK)) {
            return header(lastLine(text));
        }
        int rpc = text.indexOf(RPC_FAILURE);
        if (rpc >= 0 && rpc < RPC_FAILURE_WITHIN) {
            return firstLineHeader(text.substring(rpc + RPC_FAILURE.length()));
        }
        return firstLineHeader(text);
    }

    private static String firstLineHeader(String text) {
        int nl = text.indexOf('\n');
        return header(nl < 0 ? text : text.substring(0, nl));
    }

    /** "ValueError: bad" → "ValueError"; "KeyboardInterrupt" alone → itself; "panic: …" → "panic". */
    static String header(String line) {
        String s = line.strip();
        int colon = s.indexOf(':');
        // .NET's RpcException.ToString() writes "Type : message"
        String name = colon < 0 ? s : s.substring(0, colon).stripTrailing();
        if (name.isEmpty() || name.length() > MAX_NAME || !qualifiedName(name)) {
            return null;
        }
        if (name.equals("panic") && colon > 0) {
            return name;
        }
        String simple = name.substring(name.lastIndexOf('.') + 1);
        boolean looksLikeClass = simple.endsWith("Error")
                || simple.endsWith("Exception")
                || simple.endsWith("Exit")
                || simple.endsWith("Interrupt")
                || simple.endsWith("Fault");
        // with or without a message: "ValueError: bad", or "KeyboardInterrupt" alone
        return looksLikeClass ? name : null;
    }

    private static boolean qualifiedName(String s) {
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (start ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                start = false;
            } else if (c == '.' && !start && i < s.length() - 1) {
                start = true;
            } else {
                return false;
            }
        }
        return !start;
    }

    private static String lastLine(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int start = text.lastIndexOf('\n', end - 1) + 1;
        return text.substring(start, end);
    }
}
