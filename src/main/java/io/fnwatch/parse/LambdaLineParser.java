package io.fnwatch.parse;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;

/**
 * Reads one AWS Lambda plain-text log line (START, END, REPORT, INIT_START, timeouts, denials, application
 * lines) into an event builder. Uses {@code indexOf}, not regular expressions: REPORT lines are the hot path.
 */
final class LambdaLineParser {

    /** A line Lambda writes for every call (START, END, REPORT, INIT_START), whose fields {@link #parse} trims. */
    static boolean isPlatformLine(String line) {
        return line.startsWith("REPORT ")
                || line.startsWith("START ")
                || line.startsWith("END ")
                || line.startsWith("INIT_START ");
    }

    void parse(String line, FunctionEvent.Builder b) {
        if (line.startsWith("REPORT ")) {
            report(line, b);
        } else if (line.startsWith("START ")) {
            b.kind = EventKind.START;
            b.requestId = field(line, "RequestId: ");
            String version = field(line, "Version: ");
            if (version != null) {
                b.version = version;
            }
        } else if (line.startsWith("END ")) {
            b.kind = EventKind.LOG;
            b.requestId = field(line, "RequestId: ");
        } else if (line.startsWith("INIT_START ")) {
            b.kind = EventKind.INIT;
            b.runtime = field(line, "Runtime Version: ");
            b.coldStart = true;
        } else {
            applicationLine(line, b);
        }
    }

    private void report(String line, FunctionEvent.Builder b) {
        b.kind = EventKind.INVOCATION;
        b.requestId = field(line, "RequestId: ");
        b.durationMs = number(line, "\tDuration: ", " Duration: ");
        b.billedDurationMs = number(line, "Billed Duration: ", null);
        b.memorySizeMb = NumericFields.megabytes(number(line, "Memory Size: ", null));
        b.maxMemoryUsedMb = NumericFields.megabytes(number(line, "Max Memory Used: ", null));
        b.initDurationMs = number(line, "Init Duration: ", null);
        b.coldStart = b.initDurationMs != null;
        String status = field(line, "Status: ");
        b.status = status == null ? FunctionEvent.SUCCESS : status;
        b.errorType = field(line, "Error Type: ");
    }

    /**
     * Reads a line a function (or Lambda on its behalf) printed: the runtime's prefix gives the request id and
     * level ({@link LambdaLinePrefix}), then the line is classified. The message is the whole line, prefix
     * included, so the evidence still shows time, level and text as the function wrote them.
     */
    void applicationLine(String line, FunctionEvent.Builder b) {
        int prefix = LambdaLinePrefix.read(line, b);
        classify(line, LambdaLinePrefix.messageStart(prefix), LambdaLinePrefix.level(prefix), null, b);
    }

    /**
     * Classifies application text: timeout, permission denial, runtime crash, error, or an ordinary log line.
     * A denial wins over an error (the denial detector needs its principal/action/resource). An error is a line
     * at level ERROR or FATAL, a record that names its {@code errorType} (given by the caller), or an unleveled
     * text holding a Python traceback; WARN, INFO, DEBUG and TRACE lines stay {@code LOG} whatever they say.
     * An application error has no status: whether the invocation failed is the REPORT line's to say.
     *
     * @param from where the message starts after the runtime's prefix
     * @param recordErrorType the {@code errorType} of a JSON record, or null
     */
    void classify(String text, int from, int level, String recordErrorType, FunctionEvent.Builder b) {
        b.message = text;
        if (text.contains("Task timed out after")) {
            b.kind = EventKind.ERROR;
            b.status = FunctionEvent.TIMEOUT;
            b.errorType = "Sandbox.Timedout";
        } else if (PermissionDenial.appliesTo(text)) {
            b.kind = EventKind.PERMISSION_DENIED;
            PermissionDenial.extract(text, b);
        } else if (text.contains("Runtime exited with error")
                || text.contains("Runtime.ExitError")
                || (text.startsWith("RequestId: ") && text.contains("Process exited before completing request"))) {
            b.kind = EventKind.ERROR;
            b.status = FunctionEvent.ERROR;
            b.errorType = "Runtime.ExitError";
        } else if (isError(text, from, level, recordErrorType)) {
            b.kind = EventKind.ERROR;
            b.errorType = ErrorTypes.of(text, from, level, recordErrorType);
        } else {
            b.kind = EventKind.LOG;
        }
    }

    private static boolean isError(String text, int from, int level, String recordErrorType) {
        if (level != AppLevel.NONE) {
            return AppLevel.isError(level);
        }
        return ErrorTypes.clean(recordErrorType) != null || text.indexOf(ErrorTypes.TRACEBACK, from) >= 0;
    }

    /** The value after {@code label}, up to the next tab (or the end); a trailing " ms"/" MB" unit stays. */
    static String field(String line, String label) {
        int start = line.indexOf(label);
        if (start < 0) {
            return null;
        }
        start += label.length();
        int end = line.indexOf('\t', start);
        String value = (end < 0 ? line.substring(start) : line.substring(start, end)).trim();
        int space = label.equals("RequestId: ") || label.equals("Version: ") ? value.indexOf(' ') : -1;
        return space > 0 ? value.substring(0, space) : value.isEmpty() ? null : value;
    }

    /**
     * The number after {@code label} (or {@code altLabel}), ignoring its unit; null when absent, NaN when its
     * whole part is longer than 15 digits. Reads at most 25 characters, whatever follows.
     */
    static Double number(String line, String label, String altLabel) {
        int start = line.indexOf(label);
        int labelLength = label.length();
        if (start < 0 && altLabel != null) {
            start = line.indexOf(altLabel);
            labelLength = altLabel.length();
        }
        if (start < 0) {
            return null;
        }
        int i = start + labelLength;
        // hand-rolled: Double.parseDouble is the single largest cost of a REPORT line
        long whole = 0;
        int end = i;
        while (end < line.length() && end - i < 15 && Character.isDigit(line.charAt(end))) {
            whole = whole * 10 + (line.charAt(end++) - '0');
        }
        if (end == i) {
            return null;
        }
        if (end < line.length() && Character.isDigit(line.charAt(end))) {
            return Double.NaN; // more than 15 digits: no real duration or size, the event is rejected
        }
        if (end >= line.length() || line.charAt(end) != '.') {
            return (double) whole;
        }
        long fraction = 0;
        long scale = 1;
        int f = end + 1;
        while (f < line.length() && f - end <= 9 && Character.isDigit(line.charAt(f))) {
            fraction = fraction * 10 + (line.charAt(f++) - '0');
            scale *= 10;
        }
        // one correctly rounded division of two exact integers: the same double Double.parseDouble gives
        return (whole * scale + fraction) / (double) scale;
    }
}
