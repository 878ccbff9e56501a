package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.SourceHeaders;
import io.fnwatch.serde.TenantTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Results parsed ahead are exactly the stream thread's own, and are only ever handed out for the very record
 * they were parsed from. The parser thread's work is run on the test thread ({@code parseQueued}), in the
 * interleavings that matter.
 */
class ParseAheadTest {

    private static final TenantTopics TENANTS = new TenantTopics("raw", "default");
    private static final ParserSettings SETTINGS = ParserSettings.DEFAULTS;

    private final ParseAhead ahead = new ParseAhead(false);

    @AfterEach
    void close() {
        ahead.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] value) {
        return record(topic, partition, offset, null, value);
    }

    private static ConsumerRecord<byte[], byte[]> record(
            String topic, int partition, long offset, byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (offset % 3 == 0) {
            headers.add(SourceHints.REGION_HEADER, bytes("eu-west-1"));
        }
        return new ConsumerRecord<>(
                topic,
                partition,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                value.length,
                key,
                value,
                headers,
                Optional.empty());
    }

    private static ConsumerRecords<byte[], byte[]> poll(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> m = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            m.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                    .add(r);
        }
        return new ConsumerRecords<>(m, Map.of());
    }

    /** Lines of every provider's sample logs and of the malformed ones (bad JSON, missing fields, unknown shapes). */
    private static List<byte[]> sampleLines() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        for (String f : List.of(
                "sample-logs/gcp/cloud-functions.jsonl",
                "sample-logs/azure/function-app-logs.jsonl",
                "sample-logs/cloudtrail/cloudtrail.jsonl",
                "sample-logs/malformed/bad-records.jsonl")) {
            for (String line : Files.readAllLines(Path.of(f))) {
                lines.add(bytes(line));
            }
        }
        lines.add(bytes("[".repeat(100_000)));
        lines.add(bytes("{\"message\": \"" + "\\u0000".repeat(2000) + "\"}"));
        lines.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        lines.add(new byte[0]);
        return lines;
    }

    @Test
    void shouldHandOutTheSameResultsAsParsingOnTheStreamThread() throws IOException {
        List<byte[]> lines = sampleLines();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            records.add(record(i % 2 == 0 ? "raw" : "raw.acme", i % 3, i, lines.get(i)));
        }
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(records));
        ahead.parseQueued();
        LogParser inline = new LogParser(SETTINGS);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            ParseAhead.Parsed got = ahead.take(r.topic(), r.partition(), r.value());
            String tenant = r.topic().equals("raw") ? "default" : "acme";
            ParseResult expected = inline.parse(r.value(), tenant, SourceHeaders.hints(r.headers()));
            assertThat(got.result()).as("line %d", r.offset()).isEqualTo(expected);
            assertThat(got.keys())
                    .containsExactlyElementsOf(expected.events().stream()
                            .map(e -> e.key().asString())
                            .toList());
        }
        assertThat(ahead.takenCount()).isEqualTo(lines.size());
        assertThat(ahead.pendingRecords()).isZero();
    }

    @Test
    void shouldTellWhetherTheRecordIsKeyedByItsFunctionAndShareOneStringPerFunction() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("sample-logs/gcp/cloud-functions.jsonl"));
        LogParser inline = new LogParser(SETTINGS);
        byte[] first = bytes(lines.get(0));
        String function = inline.parse(first, "default").events().get(0).key().asString();
        byte[] again = bytes(lines.get(0));
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(List.of(
                record("raw", 0, 1, bytes(function), first), record("raw", 0, 2, bytes(function + "x"), again))));
        ahead.parseQueued();
        ParseAhead.Parsed a = ahead.take("raw", 0, first);
        ParseAhead.Parsed b = ahead.take("raw", 0, again);
        assertThat(a.keys()[0]).isEqualTo(function);
        assertThat(a.keyed()[0]).isTrue();
        assertThat(b.keyed()[0]).isFalse();
        assertThat(b.keys()[0]).isSameAs(a.keys()[0]);
        // the names too are one instance per value, as the stream thread already holds them
        FunctionEvent ea = a.result().events().get(0);
        FunctionEvent eb = b.result().events().get(0);
        assertThat(eb).isEqualTo(ea).isNotSameAs(ea);
        assertThat(eb.function()).isSameAs(ea.function());
        assertThat(eb.region()).isSameAs(ea.region());
        assertThat(eb.account()).isSameAs(ea.account());
        assertThat(ParseAhead.canonical(new String(ea.function()))).isSameAs(ea.function());
    }

    @Test
    void shouldGiveNothingForAnotherArrayWithTheSameBytes() {
        byte[] line = bytes("{\"message\":\"START RequestId: 1 Version: $LATEST\"}");
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(List.of(record("raw", 0, 0, line))));
        ahead.parseQueued();
        assertThat(ahead.take("raw", 0, line.clone())).isNull();
        assertThat(ahead.take("raw", 1, line)).as("another partition").isNull();
        assertThat(ahead.take("raw", 0, line)).isNotNull();
        assertThat(ahead.take("raw", 0, line)).as("taken once").isNull();
    }

    @Test
    void shouldLetTheStreamThreadParseWhatTheParserThreadHasNotReached() {
        byte[] a = bytes("{\"message\":\"a\"}");
        byte[] b = bytes("{\"message\":\"b\"}");
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(List.of(record("raw", 0, 0, a), record("raw", 0, 1, b))));
        assertThat(ahead.take("raw", 0, a)).as("not parsed yet").isNull();
        ahead.parseQueued();
        assertThat(ahead.parsedCount())
                .as("the first was claimed by the stream thread")
                .isEqualTo(1);
        assertThat(ahead.take("raw", 0, b)).isNotNull();
    }

    @Test
    void shouldWaitForARecordTheParserThreadIsParsingAndNoLongerThanTheBound() throws Exception {
        byte[] a = bytes("{\"message\":\"a\"}");
        for (boolean finishes : new boolean[] {false, true}) {
            CountDownLatch parsing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            long wait = finishes ? TimeUnit.SECONDS.toNanos(30) : TimeUnit.MILLISECONDS.toNanos(1);
            ParseAhead p = new ParseAhead(false, wait, () -> {
                parsing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                p.want(SETTINGS, TENANTS);
                p.onConsume(poll(List.of(record("raw", 0, 0, a))));
                Thread parser = new Thread(p::parseQueued, "test-parser");
                parser.start();
                assertThat(parsing.await(30, TimeUnit.SECONDS)).isTrue();
                if (finishes) {
                    release.countDown(); // the parser thread finishes while the stream thread waits for it
                    assertThat(p.take("raw", 0, a))
                            .as("waited for, not parsed twice")
                            .isNotNull();
                } else {
                    long start = System.nanoTime();
                    assertThat(p.take("raw", 0, a))
                            .as("still parsing after the wait")
                            .isNull();
                    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
                    release.countDown();
                }
                parser.join(30_000);
                assertThat(p.parsedCount()).isEqualTo(1);
            } finally {
                p.close();
            }
        }
    }

    @Test
    void shouldSkipRecordsNeverTakenAndDropPollsBeforeASeek() {
        List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(record("raw", 0, i, bytes("{\"message\":\"first " + i + "\"}")));
        }
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(first));
        // the task is revived and seeks back: the same offsets come again, as new arrays
        List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            again.add(record("raw", 0, i, bytes("{\"message\":\"first " + i + "\"}")));
        }
        ahead.onConsume(poll(again));
        ahead.parseQueued();
        assertThat(ahead.take("raw", 0, again.get(2).value())).isNotNull();
        assertThat(ahead.pendingRecords()).as("the old poll is gone").isEqualTo(5);
        assertThat(ahead.take("raw", 0, first.get(3).value())).isNull();
        assertThat(ahead.take("raw", 0, again.get(4).value())).isNotNull();
    }

    @Test
    void shouldKeepAtMostTheBoundOfRecordsNobodyTakes() {
        ahead.want(SETTINGS, TENANTS);
        for (int poll = 0; poll < 30; poll++) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                records.add(record("raw", poll % 4, poll * 1000L + i, bytes("{}")));
            }
            ahead.onConsume(poll(records));
        }
        assertThat(ahead.pendingRecords()).isLessThanOrEqualTo(ParseAhead.MAX_PENDING);
        ahead.parseQueued();
        byte[] big = new byte[1 << 20];
        for (int poll = 0; poll < 40; poll++) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                records.add(record("raw", 5 + i, poll, big.clone()));
            }
            ahead.onConsume(poll(records));
            ahead.parseQueued();
        }
        assertThat(ahead.pendingBytes()).isLessThanOrEqualTo(ParseAhead.MAX_PENDING_BYTES);
        assertThat(ahead.pendingBytes()).isGreaterThan(ParseAhead.MAX_PENDING_BYTES - (3 << 20));
    }

    @Test
    void shouldLeaveToTheStreamThreadThePollsOfAParserThreadFarBehind() {
        ahead.want(SETTINGS, TENANTS);
        List<byte[]> values = new ArrayList<>();
        for (int poll = 0; poll < ParseAhead.MAX_POLLS_QUEUED + 6; poll++) {
            byte[] v = bytes("{\"message\":\"" + poll + "\"}");
            values.add(v);
            ahead.onConsume(poll(List.of(record("raw", 0, poll, v))));
        }
        assertThat(ahead.pendingRecords()).isEqualTo(ParseAhead.MAX_POLLS_QUEUED);
        ahead.parseQueued();
        assertThat(ahead.take("raw", 0, values.get(ParseAhead.MAX_POLLS_QUEUED - 1)))
                .isNotNull();
        assertThat(ahead.take("raw", 0, values.get(ParseAhead.MAX_POLLS_QUEUED)))
                .isNull();
        ahead.onConsume(poll(List.of(record("raw", 0, 999, values.get(0)))));
        assertThat(ahead.pendingRecords())
                .as("queued again once the parser thread caught up")
                .isEqualTo(1);
    }

    @Test
    void shouldStayIdleUntilAParseProcessorAsksAndIgnoreOtherTopics() {
        byte[] line = bytes("{\"message\":\"x\"}");
        ahead.onConsume(poll(List.of(record("raw", 0, 0, line))));
        assertThat(ParseAhead.onThisThread()).isSameAs(ahead);
        ahead.parseQueued();
        assertThat(ahead.parsedCount()).as("nobody asked: nothing parsed").isZero();
        ahead.want(SETTINGS, TENANTS);
        ahead.onConsume(poll(List.of(
                record("app-events-by-function-repartition", 0, 0, line), record("fnwatch-inventory", 0, 0, line))));
        ahead.parseQueued();
        assertThat(ahead.parsedCount()).isZero();
        ahead.close();
        assertThat(ParseAhead.onThisThread()).isNull();
    }

    private static FunctionEvent event(String tenant, String account, String function) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.tenant = tenant;
        b.provider = "aws";
        b.account = account;
        b.region = "us-east-1";
        b.function = function;
        b.timestamp = java.time.Instant.EPOCH;
        return b.build().withSharedStrings(ParseAhead::canonical);
    }

    @Test
    void shouldKnowAFunctionsKeyAgainOnlyWhenAllItsPartsAreTheSame() {
        ParseAhead.Keys keys = new ParseAhead.Keys();
        String first = keys.of(event("default", "111111111111", "orders"));

        assertThat(first).isEqualTo("default/aws/111111111111/us-east-1/orders");
        assertThat(keys.of(event("default", new String("111111111111"), new String("orders"))))
                .isSameAs(first);
        // the same name in another account or tenant, or with unknown parts, is another function
        assertThat(keys.of(event("default", "222222222222", "orders")))
                .isEqualTo("default/aws/222222222222/us-east-1/orders");
        assertThat(keys.of(event("acme", "111111111111", "orders")))
                .isEqualTo("acme/aws/111111111111/us-east-1/orders");
        assertThat(keys.of(event(null, null, "orders"))).isEqualTo("-/aws/-/us-east-1/orders");
        assertThat(keys.of(event("default", "111111111111", "orders"))).isEqualTo(first);
    }
}
