package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.FanOutBomb;
import io.fnwatch.bench.RecordCost;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.FunctionEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One budget per raw record across all its envelopes: bombs that multiply events or inflations level by
 * level end as one TOO_LARGE rejection, quickly and in bounded memory, while the real maxima still parse.
 */
class ParseBudgetTest {

    private static final long MIB = 1 << 20;
    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private RecordCost<ParseResult> parse(FanOutBomb bomb) {
        byte[] bytes = bomb.bytes();
        parser.parse(bytes); // warm the code paths once: the second run's cost is the record's own
        return RecordCost.of(() -> parser.parse(bytes), false);
    }

    private static void assertWholeRecordTooLarge(ParseResult r) {
        assertThat(r.events()).isEmpty();
        assertThat(r.skipped()).isZero();
        assertThat(r.rejections()).singleElement().extracting(Rejection::reason).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void shouldRejectTheEventFanOutBombOnceWithBoundedWorkWhenItDeclaresTensOfMillionsOfEvents() {
        FanOutBomb bomb = FanOutBomb.eventBomb();
        assertThat(bomb.events()).isEqualTo(20_000_000);
        assertThat(bomb.bytes().length).isLessThan(64 * 1024);

        RecordCost<ParseResult> cost = parse(bomb);

        assertWholeRecordTooLarge(cost.result());
        assertThat(cost.allocatedBytes()).as("bytes allocated").isLessThan(64 * MIB);
        assertThat(cost.cpuNanos()).as("CPU ns").isLessThan(2_000_000_000L);
    }

    @Test
    void shouldStopInflatingAtTheRecordsTotalWhenEveryNestedGzipInflatesTo16MiB() {
        FanOutBomb bomb = FanOutBomb.inflationBomb();
        assertThat(bomb.inflatedBytes()).isGreaterThan(11_000 * MIB);

        RecordCost<ParseResult> cost = parse(bomb);

        assertWholeRecordTooLarge(cost.result());
        assertThat(cost.result().rejections().get(0).detail()).contains("inflate to more than");
        assertThat(cost.allocatedBytes()).as("bytes allocated").isLessThan(64 * MIB);
        assertThat(cost.cpuNanos()).as("CPU ns").isLessThan(2_000_000_000L);
    }

    @Test
    void shouldDropTheRecordsEarlierEventsWhenALaterEnvelopeSpendsTheBudget() {
        // three payloads of 800 events against a budget of 2,000: the first two fit, the third passes it
        LogParser parser =
                new LogParser(new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000, 2_000, 20_000, 100));
        ParseResult r = parser.parse(
                FanOutBomb.realistic(800, 1).gzip().awslogs().array(3).gzip().bytes());

        assertWholeRecordTooLarge(r);
        assertThat(r.rejections().get(0).detail()).contains("more than 2000 log events");
        assertThat(parser.parse(FanOutBomb.realistic(800, 1)
                                .gzip()
                                .awslogs()
                                .array(2)
                                .gzip()
                                .bytes())
                        .events())
                .hasSize(1_600);
    }

    @Test
    void shouldParseTheLargestRealPayloadWhenItIsAFullPutLogEventsBatchInAFirehoseRecord() {
        // 10,000 events is the most one PutLogEvents batch, and so one subscription payload, holds
        byte[] record = FanOutBomb.realistic(10_000, 2).gzip().firehose(1).bytes();
        assertThat(record.length).isLessThan(1 << 20);

        ParseResult r = parser.parse(record);

        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).hasSize(10_000).allMatch(e -> e.function().equals("bomb") && e.durationMs() >= 1.0);
    }

    @Test
    void shouldRejectARecordThatInflatesFarMoreThanLogsDoWhenItIsSmall() {
        // 10,000 identical events gzip some 200 times smaller: no real log payload does
        byte[] repetitive = FanOutBomb.subscription(10_000).gzip().bytes();

        assertWholeRecordTooLarge(parser.parse(repetitive));
        assertThat(parser.parse(repetitive).rejections().get(0).detail()).contains("100 times its size");
        assertThat(parser.parse(FanOutBomb.subscription(1_000).gzip().bytes()).events())
                .as("under the floor")
                .hasSize(1_000);
    }

    @Test
    void shouldCountRejectionsAgainstTheBudgetWhenEveryNestedEventIsBad() {
        ParserSettings small = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000, 100, 1_000, 100);
        String bad = "{\"logGroup\":\"/aws/lambda/x\",\"message\":\"no timestamp\"}";
        byte[] record = FanOutBomb.subscription(1).array(1).bytes(); // sanity: a good one still parses
        assertThat(new LogParser(small).parse(record).events()).hasSize(1);

        byte[] many = ("[" + (bad + ",").repeat(100) + bad + "]").getBytes(StandardCharsets.UTF_8);
        ParseResult r = new LogParser(small).parse(many);

        assertWholeRecordTooLarge(r);
    }

    @Test
    void shouldRejectTheRecordWhenItOpensMoreNestedPayloadsThanAllowed() {
        ParserSettings small = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000, 20_000, 10, 100);
        byte[] record = FanOutBomb.subscription(1).gzip().firehose(10).bytes();

        assertWholeRecordTooLarge(new LogParser(small).parse(record));
        assertThat(new LogParser(small)
                        .parse(FanOutBomb.subscription(1).gzip().firehose(5).bytes())
                        .events())
                .as("5 base64 records and 5 gzip layers")
                .hasSize(5);
    }

    @Test
    void shouldRejectAsTooLargeWhenAMessageInsideGzipIsLongerThanAnyLogEvent() {
        String message = "x".repeat((16 << 20) - 200);
        byte[] record = gzip(("{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":1,\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] input = record;
        // with the ratio lifted the 16 MiB inflates; Jackson's string limit must still stop the message
        LogParser anyRatio = new LogParser(
                new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000, 20_000, 20_000, 1_000_000));

        RecordCost<ParseResult> cost = RecordCost.of(() -> anyRatio.parse(input), false);

        assertThat(parser.parse(input).rejections())
                .singleElement()
                .satisfies(x -> assertThat(x.detail()).contains("100 times its size"));
        assertThat(cost.result().events()).isEmpty();
        assertThat(cost.result().rejections())
                .singleElement()
                .extracting(Rejection::reason)
                .isEqualTo(Reason.TOO_LARGE);
        assertThat(cost.result().rejections().get(0).detail()).contains("String value length");
        assertThat(cost.allocatedBytes()).isLessThan(64 * MIB);
    }

    @Test
    void shouldRejectAsTooLargeWhenJsonNestsDeeperThanAnyLog() {
        byte[] deep = ("[".repeat(50_000) + "]".repeat(50_000)).getBytes(StandardCharsets.UTF_8);
        byte[] deepObject = ("{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":1,\"message\":\"m\",\"x\":"
                        + "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000) + "}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(deep).rejections())
                .singleElement()
                .extracting(Rejection::reason)
                .isEqualTo(Reason.TOO_LARGE);
        assertThat(parser.parse(deepObject).rejections())
                .singleElement()
                .extracting(Rejection::reason)
                .isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void shouldRejectAsTooLargeWhenAJsonNumberHasThousandsOfDigits() {
        byte[] record = ("{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":" + "9".repeat(5_000) + ",\"message\":\"m\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(record).rejections())
                .singleElement()
                .extracting(Rejection::reason)
                .isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void shouldAnswerWithOneProcessingErrorAndNoPartialEventsWhenTheStackRunsOutMidRecord() throws Exception {
        // The stack is used up before parse is called, to a depth that moves one frame at a time across the
        // parser: wherever the overflow strikes inside it, the answer is whole or one PROCESSING_ERROR.
        byte[] nested = FanOutBomb.subscription(3).gzip().awslogs().gzip().bytes();
        java.util.Set<String> outcomes = new java.util.TreeSet<>();
        Thread t = new Thread(
                null,
                () -> {
                    int reach = depthReached(0);
                    for (int spare = 4_000; spare >= 0; spare -= 3) {
                        outcomes.add(parseAtDepth(reach - spare, nested));
                    }
                    // with the whole stack free the record is answered whole: how many frames of the sweep
                    // that takes depends on how the JIT has compiled them (in a full suite, sometimes more
                    // than 4,000), so the sweep alone does not always include it
                    outcomes.add(parseAtDepth(0, nested));
                },
                "small-stack",
                256 * 1024);
        t.start();
        t.join();

        // Whether some depth lands the overflow inside the parser with room left for its handler depends on how
        // the JIT has compiled these frames (run alone, it may never happen), so that is not required: what must
        // hold at every depth is that no record is answered in part.
        assertThat(outcomes)
                .contains("3 events")
                .allMatch(o -> o.equals("PROCESSING_ERROR")
                        || o.equals("3 events")
                        || o.equals("overflow outside the parser"));
    }

    /** How deep {@link #parseAtDepth} can recurse on this thread before the stack overflows. */
    private static int depthReached(int depth) {
        try {
            return depthReached(depth + 1);
        } catch (StackOverflowError e) {
            return depth;
        }
    }

    private String parseAtDepth(int depth, byte[] input) {
        if (depth > 0) {
            try {
                return parseAtDepth(depth - 1, input);
            } catch (StackOverflowError e) {
                return "overflow outside the parser";
            }
        }
        try {
            ParseResult r = parser.parse(input);
            return r.rejections().isEmpty()
                    ? r.events().size() + " events"
                    : r.events().isEmpty() && r.rejections().size() == 1
                            ? r.rejections().get(0).reason().name()
                            : "partial: " + r;
        } catch (StackOverflowError e) {
            return "overflow outside the parser";
        }
    }

    @Test
    void shouldKeepEventsWhenTheyStayWithinTheBudget() {
        ParseResult r = parser.parse(FanOutBomb.subscription(3).gzip().awslogs().bytes());

        assertThat(r.events()).extracting(FunctionEvent::durationMs).containsExactly(1.0, 1.0, 1.0);
    }

    static byte[] gzip(byte[] b) {
        var buf = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(buf)) {
            gz.write(b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
