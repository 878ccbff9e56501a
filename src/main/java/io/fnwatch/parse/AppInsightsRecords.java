package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.FunctionEvent;
import java.time.Instant;
import java.util.Locale;

/**
 * Records of the Application Insights tables a function app writes to, {@code AppTraces} and
 * {@code AppExceptions}, as Log Analytics exports them: the app is {@code AppRoleName}, the function
 * {@code OperationName} (the Functions host names each invocation's operation after the function), the
 * invocation {@code Properties.InvocationId}, else {@code OperationId}. {@code SeverityLevel} 3 and 4 (Error,
 * Critical) and every exception record are errors. These tables name no Azure region, so their key has none.
 */
final class AppInsightsRecords {

    static final String TRACES = "AppTraces";
    static final String EXCEPTIONS = "AppExceptions";

    /** Application Insights' SeverityLevel: 0 Verbose, 1 Information, 2 Warning, 3 Error, 4 Critical. */
    private static final int ERROR = 3;

    private AppInsightsRecords() {}

    static boolean handles(String type) {
        return TRACES.equalsIgnoreCase(type) || EXCEPTIONS.equalsIgnoreCase(type);
    }

    static FunctionEvent.Builder event(JsonNode r, String type, Instant time, String source) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "azure";
        b.account = AzureRecordsParser.subscription(text(r, "_ResourceId"));
        String app = text(r, "AppRoleName");
        b.function = AzureRecordsParser.function(
                app == null || app.isEmpty() ? null : app.toLowerCase(Locale.ROOT),
                blankToNull(text(r, "OperationName")));
        b.timestamp = time;
        b.requestId = orElse(text(r.path("Properties"), "InvocationId"), text(r, "OperationId"));
        b.source = source;
        JsonNode level = r.path("SeverityLevel");
        int severity = level.isNumber() && level.canConvertToInt() ? level.intValue() : -1;
        String fallback = severity > ERROR ? "LogLevel.Critical" : "LogLevel.Error";
        if (EXCEPTIONS.equalsIgnoreCase(type)) {
            // the Functions host wraps the function's exception: the innermost one is what the code threw
            String errorType = orElse(text(r, "InnermostType"), text(r, "ExceptionType"));
            String message = orElse(text(r, "InnermostMessage"), orElse(text(r, "OuterMessage"), text(r, "Message")));
            ProviderLines.classify(
                    message == null ? "" : LambdaMessages.stripNewline(message), true, errorType, fallback, b);
        } else {
            String message = text(r, "Message");
            if (message != null) {
                ProviderLines.classify(LambdaMessages.stripNewline(message), severity >= ERROR, null, fallback, b);
            }
        }
        return b;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
    }
}
