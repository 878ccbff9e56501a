package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streamed platform records read exactly what the tree reads: every record the stream accepts gives the
 * same event as the tree, whatever the field order, duplicates, nulls, extra fields or odd values; what it
 * declines is left to the tree.
 */
class PlatformRecordsTest {

    private final LambdaMessages messages = new LambdaMessages(Json.MAPPER);
    private final PlatformRecords platform = new PlatformRecords(Json.MAPPER.getFactory());

    private static FunctionEvent.Builder builder() {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.tenant = "default";
        b.provider = "aws";
        b.function = "f";
        b.version = "$LATEST";
        b.timestamp = Instant.parse("2026-02-02T00:00:00Z");
        return b;
    }

    /** Streams {@code m} if it can; when it does, the tree must give the same event. */
    private boolean sameAsTree(String m) {
        FunctionEvent.Builder streamed = builder();
        boolean accepted = platform.read(m, streamed);
        FunctionEvent.Builder tree = builder();
        boolean treeRead = messages.readTree(m, tree);
        if (accepted) {
            assertThat(treeRead).as(m).isTrue();
            assertThat(Json.bytes(streamed.build())).as(m).isEqualTo(Json.bytes(tree.build()));
        } else {
            FunctionEvent.Builder untouched = builder();
            assertThat(Json.bytes(streamed.build())).as(m).isEqualTo(Json.bytes(untouched.build()));
        }
        return accepted;
    }

    @Test
    void shouldReadTheThreeRecordsAsLambdaWritesThem() {
        String report = "{\"time\":\"2026-02-02T11:32:00.625Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":"
                + "\"d60d5121-fae9-9df7-4031-e5fb66ba2b1e\",\"metrics\":{\"durationMs\":4242.337,\"billedDurationMs\":"
                + "4243,\"memorySizeMB\":2560,\"maxMemoryUsedMB\":905,\"initDurationMs\":180.5},\"status\":\"timeout\","
                + "\"errorType\":\"Sandbox.Timedout\",\"tracing\":{\"spanId\":\"x\",\"type\":\"X-Amzn-Trace-Id\"}}}";
        FunctionEvent.Builder b = builder();
        assertThat(platform.read(report, b)).isTrue();
        assertThat(b.kind).isEqualTo(EventKind.INVOCATION);
        assertThat(b.durationMs).isEqualTo(4242.337);
        assertThat(b.memorySizeMb).isEqualTo(2560);
        assertThat(b.initDurationMs).isEqualTo(180.5);
        assertThat(b.coldStart).isTrue();
        assertThat(b.status).isEqualTo(FunctionEvent.TIMEOUT);
        assertThat(b.errorType).isEqualTo("Sandbox.Timedout");
        assertThat(sameAsTree(report)).isTrue();
        assertThat(sameAsTree("{\"time\":\"t\",\"type\":\"platform.start\",\"record\":{\"requestId\":\"r\","
                        + "\"version\":\"7\"}}"))
                .isTrue();
        assertThat(sameAsTree("{\"time\":\"t\",\"type\":\"platform.initStart\",\"record\":{\"initializationType\":"
                        + "\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":\"java:21.v27\",\"functionName\":\"f\","
                        + "\"functionVersion\":\"$LATEST\"}}"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"platform.runtimeDone\",\"record\":{\"requestId\":\"r\",\"status\":\"success\"}}",
                "{\"_aws\":{\"CloudWatchMetrics\":[]},\"type\":\"platform.report\"}",
                "{\"type\":7,\"record\":{}}",
                "{\"type\":\"platform.start\",\"record\":\"not an object\"}",
                "{\"type\":\"platform.start\",\"record\":{\"requestId\":42}}",
                "{\"type\":\"platform.report\",\"record\":{\"status\":true}}",
                "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r\"}",
                "{\"record\":{\"requestId\":\"r\"}}",
                "{\"level\":\"ERROR\",\"message\":\"boom\"}",
                "{}",
                "[\"platform.start\"]",
                "{\"type\":\"platform.start\",\"type\":\"platform.fault\",\"record\":{}}",
            })
    void shouldLeaveEveryOtherShapeToTheTree(String m) {
        assertThat(sameAsTree(m)).as(m).isFalse();
    }

    @Test
    void shouldAgreeWithTheTreeOnShuffledDuplicatedAndOddRecords() {
        Random random = new Random(16);
        String[] types = {"platform.report", "platform.start", "platform.initStart"};
        String[] recordFields = {
            "\"requestId\":\"r-1\"",
            "\"requestId\":null",
            "\"requestId\":{\"nested\":[1,2]}",
            "\"version\":\"3\"",
            "\"runtimeVersion\":\"python:3.13.v9\"",
            "\"functionVersion\":\"$LATEST\"",
            "\"functionVersion\":null",
            "\"status\":\"error\"",
            "\"status\":\"success\"",
            "\"errorType\":\"Runtime.ExitError\"",
            "\"metrics\":{\"durationMs\":12.5,\"billedDurationMs\":13,\"memorySizeMB\":128,\"maxMemoryUsedMB\":64}",
            "\"metrics\":{\"durationMs\":\"12\",\"initDurationMs\":null,\"memorySizeMB\":[1]}",
            "\"metrics\":{\"durationMs\":1e3,\"billedDurationMs\":123456789012345678901234}",
            "\"metrics\":null",
            "\"metrics\":[1,2]",
            "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1\"}",
            "\"spans\":[{\"name\":\"responseLatency\",\"durationMs\":1}]",
            "\"other\":17",
        };
        int accepted = 0;
        for (int i = 0; i < 3_000; i++) {
            List<String> record = new ArrayList<>();
            for (int k = random.nextInt(6); k > 0; k--) {
                record.add(recordFields[random.nextInt(recordFields.length)]);
            }
            List<String> top = new ArrayList<>();
            top.add("\"type\":\"" + types[random.nextInt(types.length)] + "\"");
            top.add("\"record\":{" + String.join(",", record) + "}");
            if (random.nextBoolean()) {
                top.add("\"time\":\"2026-02-02T11:32:00.625Z\"");
            }
            if (random.nextInt(5) == 0) {
                top.add("\"record\":{" + recordFields[random.nextInt(recordFields.length)] + "}");
            }
            Collections.shuffle(top, random);
            if (sameAsTree("{" + String.join(",", top) + "}")) {
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(1_000); // the comparison ran on records the stream reads
    }
}
