package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import io.fnwatch.model.DeadLetter.Reason;

/**
 * The one entry point from bytes to events: detects the input shape and hands the record to the parser
 * of that shape. Pure and thread-confined per instance; never throws on bad input.
 */
public final class LogParser {

    private final ParserSettings settings;
    private final CloudWatchEventParser cloudWatchEvents;

    public LogParser(ParserSettings settings) {
        this.settings = settings;
        this.cloudWatchEvents = new CloudWatchEventParser(new JsonFactory(), settings);
    }

    public ParseResult parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return ParseResult.reject(Reason.UNKNOWN_FORMAT, "empty record", null);
        }
        if (bytes.length > settings.maxRecordBytes()) {
            return ParseResult.reject(Reason.TOO_LARGE,
                    "record of " + bytes.length + " bytes exceeds " + settings.maxRecordBytes(), null);
        }
        int first = firstNonBlank(bytes);
        if (first < 0) {
            return ParseResult.reject(Reason.UNKNOWN_FORMAT, "blank record", null);
        }
        if (bytes[first] != '{') {
            return ParseResult.reject(Reason.UNKNOWN_FORMAT, "not JSON: input shape not recognised", null);
        }
        try {
            return cloudWatchEvents.parse(bytes);
        } catch (RuntimeException e) {
            // A parser bug must not stop the stream: the record is dead-lettered with the cause.
            return ParseResult.reject(Reason.BAD_FIELD, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte c = bytes[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }
}
