package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge cases of request ids and errors in Lambda application lines; the documented shapes are golden cases. */
class LambdaApplicationLinesTest {

    private static final String ID = "0696baa3-3d05-49ad-9758-495f33defbdd";

    private final LambdaLineParser lines = new LambdaLineParser();
    private final LambdaMessages messages = new LambdaMessages(Json.MAPPER);

    private FunctionEvent.Builder line(String text) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        lines.applicationLine(text, b);
        return b;
    }

    private FunctionEvent.Builder message(String text) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        messages.read(text, b);
        return b;
    }

    @Test
    void shouldNotTakeATabSeparatedFieldThatIsNotAUuidForARequestId() {
        assertThat(line("2024-05-29T16:26:41.390Z\tnot-a-request-id-but-36-characters!!\tINFO\tx").requestId)
                .isNull();
        assertThat(line("2024-05-29T16:26:41.390Z\t8f507cfc-xmpl-4697-b07a-ac58fc914c95\tINFO\tx").requestId)
                .isNull();
        assertThat(line("2024-05-29T16:26:41.390Z\t" + ID + "0\tINFO\tx").requestId)
                .isNull();
        assertThat(line("2024-05-29T16:26:41.390Z\tundefined\tERROR\tboom").requestId)
                .isNull();
    }

    @Test
    void shouldNotTakeAUuidInTheMessageForTheRequestId() {
        assertThat(line("2024-05-29T16:26:41.390Z\tundefined\tINFO\tretrying " + ID).requestId)
                .isNull();
        assertThat(line("batch " + ID + "\tdone\tok").requestId).isNull();
        assertThat(line("processed " + ID).requestId).isNull();
        assertThat(line("[INFO]\t2024-05-29T16:26:41.390Z\t\tcaller was " + ID).requestId)
                .isNull();
    }

    @Test
    void shouldTakeTheRequestIdOfEveryRuntimesPrefixInAnyHexCase() {
        String upper = ID.toUpperCase();
        assertThat(line("2024-05-29T16:26:41.390Z\t" + upper + "\tinfo\tx").requestId)
                .isEqualTo(upper);
        assertThat(line("2020-11-10T05:46:57.874Z " + ID).requestId).isEqualTo(ID);
        assertThat(line("RequestId: " + ID).requestId).isEqualTo(ID);
        assertThat(line("RequestId: " + ID + "x Process exited before completing request").requestId)
                .isNull();
    }

    @Test
    void shouldAcceptOnlyUuidShapedIds() {
        assertThat(LambdaLinePrefix.isUuid(ID)).isTrue();
        assertThat(LambdaLinePrefix.isUuid(ID.toUpperCase())).isTrue();
        assertThat(LambdaLinePrefix.isUuid("x" + ID, 1)).isTrue();
        assertThat(LambdaLinePrefix.isUuid(ID.replace('b', 'g'))).isFalse();
        assertThat(LambdaLinePrefix.isUuid(ID.replace('a', '-'))).isFalse(); // a hyphen in a hex place
        assertThat(LambdaLinePrefix.isUuid(ID.replace('0', '\u0010'))).isFalse(); // | 0x20 would make it '0'
        assertThat(LambdaLinePrefix.isUuid(ID.replace('3', '\u0013'))).isFalse();
        assertThat(LambdaLinePrefix.isUuid(ID.replace('-', '\r'))).isFalse(); // '\r' | 0x20 is '-'
        assertThat(LambdaLinePrefix.isUuid(ID.replace('a', 'A').replace('b', '\u0142')))
                .isFalse();
        assertThat(LambdaLinePrefix.isUuid(ID.substring(1))).isFalse();
        assertThat(LambdaLinePrefix.isUuid(ID, 1)).isFalse();
        assertThat(LambdaLinePrefix.isUuid(ID, -1)).isFalse();
        assertThat(LambdaLinePrefix.isUuid(null)).isFalse();
    }

    @Test
    void shouldKeepARequestIdTheCallerAlreadyHas() {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.requestId = "from-the-record";
        lines.applicationLine("2024-05-29T16:26:41.390Z\t" + ID + "\tINFO\tx", b);

        assertThat(b.requestId).isEqualTo("from-the-record");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[ERROR]",
                "[ERROR] ",
                "[ERROR]\t",
                "[ERROR]\t2024-05-29T16:26:41.390Z",
                "[ERROR]\t2024-05-29T16:26:41.390Z\t",
                "[FATAL]\t\t\t",
                "2024-05-29T16:26:41.390Z\t\tERROR",
                "2024-05-29T16:26:41.390Z\t\tERROR\t"
            })
    void shouldReadAnErrorLevelWithNothingAfterItAsAnErrorNamedByItsLevel(String text) {
        FunctionEvent.Builder b = line(text);

        assertThat(b.kind).isEqualTo(EventKind.ERROR);
        assertThat(b.errorType).isIn("ERROR", "FATAL");
        assertThat(b.status).isNull();
        assertThat(b.message).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[",
                "[]",
                "[E",
                "2",
                "2024",
                "2024 ",
                "2024\t",
                "2024-05-29 16:26:41 ",
                "2024-05-29 16:26:41 0696baa3-3d05-49ad",
                "R",
                "RequestId: ",
                "RequestId: 0696baa3",
                "E, [",
                "E, [2024] ",
                "E, [2024] ERROR",
                "I, [2024-05-29T16:26:41.390123 #8]  INFO 0696baa3-3d05-49ad-9758-495f33defbdd --",
                "{}",
                "{\"errorType\":",
                "Traceback (most recent call last):",
                "\"errorType\":\"X"
            })
    void shouldNeverThrowOnShortOrCutPrefixes(String text) {
        assertThatCode(() -> line(text)).doesNotThrowAnyException();
        assertThatCode(() -> message(text)).doesNotThrowAnyException();
        FunctionEvent.Builder b = line(text);
        assertThat(b.requestId == null || LambdaLinePrefix.isUuid(b.requestId)).isTrue();
    }

    @Test
    void shouldNameATruncatedTracebackByItsLevel() {
        FunctionEvent.Builder b = line("Traceback (most recent call last):\n  File \"/var/task/app.py\", line 5, in h");

        assertThat(b.kind).isEqualTo(EventKind.ERROR);
        assertThat(b.errorType).isEqualTo("ERROR");
    }

    @Test
    void shouldReadTheExceptionOfATracebackWhoseLinesEndInCarriageReturns() {
        FunctionEvent.Builder b =
                line("Traceback (most recent call last):\r  File \"/var/task/app.py\", line 5\r" + "StopIteration\r\r");

        assertThat(b.errorType).isEqualTo("StopIteration");
    }

    @Test
    void shouldPreferADenialOverAnErrorAndKeepItsRequestId() {
        FunctionEvent.Builder b = line("[ERROR]\t2025-03-06T09:58:07.000Z\t" + ID + "\tAccessDeniedException: User: "
                + "arn:aws:sts::123456789012:assumed-role/r/fn is not authorized to perform: sqs:SendMessage on "
                + "resource: arn:aws:sqs:us-east-1:123456789012:q");

        assertThat(b.kind).isEqualTo(EventKind.PERMISSION_DENIED);
        assertThat(b.requestId).isEqualTo(ID);
        assertThat(b.errorType).isNull();
        assertThat(b.action).isEqualTo("sqs:SendMessage");
    }

    @Test
    void shouldGiveAnApplicationErrorNoStatusSoItIsNeverCountedAsATimeoutOrAnInvocation() {
        FunctionEvent.Builder b = line("2024-05-29T16:26:41.390Z\t" + ID + "\tERROR\tInvoke Error \t"
                + "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"made up\"}");
        b.timestamp = java.time.Instant.EPOCH;
        FunctionEvent e = b.build();

        assertThat(e.kind()).isEqualTo(EventKind.ERROR);
        assertThat(e.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(e.status()).isNull();
        assertThat(e.isTimeout()).isFalse();
    }

    @Test
    void shouldNotTakeANonStringOrBlankErrorTypeOfAJsonRecord() {
        String[] values = {"null", "42", "{\"name\":\"X\"}", "[\"X\"]", "\"\"", "\"  \"", "true"};
        for (String v : values) {
            FunctionEvent.Builder b = message("{\"timestamp\":\"2025-01-07T19:49:07.800Z\",\"level\":\"ERROR\","
                    + "\"requestId\":\"" + ID + "\",\"message\":\"ValueError: bad\",\"errorType\":" + v + "}");
            assertThat(b.kind).as(v).isEqualTo(EventKind.ERROR);
            assertThat(b.errorType).as(v).isEqualTo("ValueError");
            assertThat(b.requestId).as(v).isEqualTo(ID);
        }
    }

    @Test
    void shouldReadAnErrorDocumentWithoutAUsableErrorTypeAsAnErrorNamedByItsText() {
        FunctionEvent.Builder nullType = message("{\"errorType\":null,\"errorMessage\":\"boom\"}");
        FunctionEvent.Builder objectType = message("{\"errorType\":{\"a\":1},\"errorMessage\":\"KeyError: 'x'\"}");

        assertThat(nullType.kind).isEqualTo(EventKind.ERROR);
        assertThat(nullType.errorType).isEqualTo("ERROR");
        assertThat(objectType.kind).isEqualTo(EventKind.ERROR);
        assertThat(objectType.errorType).isEqualTo("KeyError");
    }

    @Test
    void shouldReadEmptyJsonAndJsonWithoutLevelOrMessageAsAnOrdinaryLine() {
        assertThat(message("{}").kind).isEqualTo(EventKind.LOG);
        assertThat(message("{}").errorType).isNull();
        assertThat(message("{\"order\":42}").kind).isEqualTo(EventKind.LOG);
    }

    @Test
    void shouldNotTakeARequestIdOfAJsonRecordThatIsNotAUuid() {
        assertThat(message("{\"level\":\"INFO\",\"requestId\":\"abc\",\"message\":\"x\"}").requestId)
                .isNull();
        assertThat(message("{\"level\":\"INFO\",\"requestId\":42,\"message\":\"x\"}").requestId)
                .isNull();
        assertThat(message("{\"level\":\"INFO\",\"AWSRequestId\":\"" + ID + "\",\"message\":\"x\"}").requestId)
                .isEqualTo(ID);
    }

    @Test
    void shouldCutAnOverlongErrorTypeOfARecord() {
        String longName = "A".repeat(500) + "Error";
        FunctionEvent.Builder b = message("{\"level\":\"ERROR\",\"message\":\"x\",\"errorType\":\"" + longName + "\"}");

        assertThat(b.errorType).hasSize(200);
    }

    @Test
    void shouldNotTakeANameLongerThanAClassNameFromText() {
        FunctionEvent.Builder b = line("[ERROR] " + "a".repeat(300) + "Error: boom");

        assertThat(b.kind).isEqualTo(EventKind.ERROR);
        assertThat(b.errorType).isEqualTo("ERROR");
    }

    @Test
    void shouldNameErrorsByTheirLeadingNameOnlyWhenItLooksLikeAnException() {
        assertThat(line("[ERROR] Status: 500 from upstream").errorType).isEqualTo("ERROR");
        assertThat(line("[ERROR] Error: socket hang up").errorType).isEqualTo("Error");
        assertThat(line("[ERROR] Runtime.HandlerNotFound: index.handler is undefined").errorType)
                .isEqualTo("Runtime.HandlerNotFound");
        assertThat(line("[ERROR] failed: see botocore.exceptions.NoCredentialsError above").errorType)
                .isEqualTo("botocore.exceptions.NoCredentialsError");
    }

    @Test
    void shouldReadAHostileMegabyteErrorLineInBoundedTime() {
        String hostile =
                "[ERROR] " + "Error.".repeat(180_000) + "\nTraceback (most recent call last):\n" + "x".repeat(100_000);
        FunctionEvent.Builder b = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> line(hostile));

        assertThat(b.kind).isEqualTo(EventKind.ERROR);
        assertThat(b.errorType.length()).isLessThanOrEqualTo(200);
    }
}
