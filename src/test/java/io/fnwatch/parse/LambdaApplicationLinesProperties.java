package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Application lines in every runtime's shape, with valid, broken and hostile parts: none throws, and the event's
 * kind, request id and error type agree with each other and with the line.
 */
class LambdaApplicationLinesProperties {

    private final LambdaLineParser lines = new LambdaLineParser();
    private final LambdaMessages messages = new LambdaMessages(Json.MAPPER);

    @Property(tries = 3000)
    void shouldReadEveryApplicationLineConsistently(@ForAll("applicationLines") String line) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        lines.applicationLine(line, b);

        assertConsistent(line, b);
        if (b.requestId != null) {
            assertThat(line).contains(b.requestId);
        }
    }

    @Property(tries = 2000)
    void shouldReadEveryJsonRecordConsistently(@ForAll("jsonRecords") String record) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        messages.read(record, b);

        assertConsistent(record, b);
    }

    private static void assertConsistent(String input, FunctionEvent.Builder b) {
        assertThat(b.kind).isIn(EventKind.LOG, EventKind.ERROR, EventKind.PERMISSION_DENIED);
        assertThat(b.message).isNotNull();
        assertThat(b.requestId == null || LambdaLinePrefix.isUuid(b.requestId))
                .as("request id %s", b.requestId)
                .isTrue();
        switch (b.kind) {
            case ERROR -> {
                assertThat(b.errorType).isNotBlank().hasSizeLessThanOrEqualTo(200);
                // only Lambda's own wordings carry a status; an application error leaves it to REPORT
                if (b.status != null) {
                    assertThat(input)
                            .containsAnyOf(
                                    "Task timed out after",
                                    "Runtime exited",
                                    "Runtime.ExitError",
                                    "Process exited before completing request");
                }
            }
            case LOG -> {
                assertThat(b.errorType).isNull();
                assertThat(b.status).isNull();
            }
            default -> assertThat(b.errorType).isNull();
        }
    }

    @Provide
    Arbitrary<String> applicationLines() {
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.longs().map(n -> new UUID(n, ~n).toString()),
                Arbitraries.longs().map(n -> new UUID(n, n * 31).toString().toUpperCase()),
                Arbitraries.of(
                        "",
                        "undefined",
                        "8f507cfc-xmpl-4697-b07a-ac58fc914c95",
                        "0696baa3-3d05",
                        "0696baa3-3d05-49ad-9758-495f33defbdd0",
                        "not-a-request-id-but-36-characters!!"),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<String> level = Arbitraries.oneOf(
                Arbitraries.of(
                        "INFO",
                        "WARN",
                        "WARNING",
                        "ERROR",
                        "FATAL",
                        "CRITICAL",
                        "DEBUG",
                        "TRACE",
                        "info",
                        "warn",
                        "fail",
                        "crit",
                        "dbug",
                        "trce",
                        " INFO",
                        "ERROR ",
                        "Err",
                        ""),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of(
                        "ValueError: bad input",
                        "Invoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"x\"}",
                        "Uncaught Exception \t{\"errorType\":null}",
                        "{\"errorType\":42}",
                        "\"errorType\":\"",
                        "Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'x'",
                        "Traceback (most recent call last):\r",
                        "Task timed out after 3.00 seconds",
                        "Error: Runtime exited with error: exit status 1",
                        "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject",
                        "Error.Error.Error.",
                        "a.b.c.d.Exception",
                        ""));
        Arbitrary<String> time =
                Arbitraries.of("2024-05-29T16:26:41.390Z", "2020-03-18 20:33:41", "2025/03/06 09:58:10", "2024", "");
        return Combinators.combine(time, id, level, body, Arbitraries.integers().between(0, 7))
                .as((t, i, l, m, shape) -> switch (shape) {
                    case 0 -> t + "\t" + i + "\t" + l + "\t" + m; // Node, .NET
                    case 1 -> "[" + l + "]\t" + t + "\t" + i + "\t" + m; // Python
                    case 2 -> "[" + l + "] " + m; // Python uncaught, Java LambdaLogger
                    case 3 -> t + " " + i + " " + l + " Handler - " + m; // log4j2, legacy timeout
                    case 4 -> "RequestId: " + i + " " + m; // legacy crash lines
                    case 5 -> "E, [" + t + " #8] " + l + " " + i + " -- : " + m; // Ruby
                    case 6 -> m; // Go, raw
                    default -> (t + "\t" + i + "\t" + l + "\t" + m).substring(0, (t.length() + i.length()) / 2);
                });
    }

    @Provide
    Arbitrary<String> jsonRecords() {
        Arbitrary<String> value = Arbitraries.of(
                "null",
                "42",
                "true",
                "{}",
                "[]",
                "\"\"",
                "\" \"",
                "\"ERROR\"",
                "\"FATAL\"",
                "\"INFO\"",
                "\"warn\"",
                "\"TypeError\"",
                "{\"errorType\":\"KeyError\"}",
                "\"0696baa3-3d05-49ad-9758-495f33defbdd\"",
                "\"Traceback (most recent call last):\\nKeyError: 'x'\"",
                "\"ValueError: bad\"");
        Arbitrary<String> field = Arbitraries.of(
                "level", "message", "errorType", "errorMessage", "requestId", "AWSRequestId", "type", "stackTrace");
        Arbitrary<String> pair = Combinators.combine(field, value).as((f, v) -> "\"" + f + "\":" + v);
        return pair.list().ofMaxSize(6).map(pairs -> "{" + String.join(",", pairs) + "}");
    }
}
