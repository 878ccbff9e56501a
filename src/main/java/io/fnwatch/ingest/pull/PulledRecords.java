package io.fnwatch.ingest.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.Rejection;
import io.fnwatch.serde.TenantTopics;
import io.fnwatch.topology.DeadLetters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a pulled payload (a Pub/Sub message's LogEntry, an event hub event's {@code {"records":[…]}}) becomes: raw
 * records on its source's tenant's raw topic, each keyed by its function, and dead letters for what cannot be read
 * or names an account the source may not send. A payload of one function is written as it is; an Azure payload
 * whose records belong to several functions, or hold unreadable ones, is split into one {@code {"records":[…]}}
 * per function. For every payload {@code events + deadLetters + skipped} equals the log entries it held (the
 * parser's own identity, {@link ParseResult}). Thread-safe: each thread parses with its own parser.
 */
public final class PulledRecords {

    /** The records to write for one payload, and what its log entries became. */
    public record Batch(List<ProducerRecord<String, byte[]>> records, int events, int deadLetters, int skipped) {

        public int entries() {
            return events + deadLetters + skipped;
        }
    }

    private final TenantTopics topics;
    private final String deadLetterTopic;
    private final ThreadLocal<LogParser> parsers;
    private final LongSupplier clock;

    public PulledRecords(FnwatchConfig c, LongSupplier clock) {
        this.topics = TenantTopics.from(c);
        this.deadLetterTopic = c.string(FnwatchConfig.TOPIC_DEAD_LETTERS);
        this.parsers = ThreadLocal.withInitial(() -> new LogParser(c.parserSettings()));
        this.clock = clock;
    }

    public Batch convert(PullSource s, byte[] value) {
        ParseResult whole = parsers.get().parse(value, s.tenant());
        String topic = topics.topicOf(s.tenant());
        if (whole.rejections().isEmpty() && allowed(s, whole)) {
            if (whole.events().isEmpty()) {
                return new Batch(List.of(), 0, 0, whole.skipped());
            }
            ProducerRecord<String, byte[]> r = RawRecords.of(topic, value, whole);
            if (r.key() != null) {
                return new Batch(List.of(r), whole.events().size(), 0, whole.skipped());
            }
        }
        ArrayNode records = azureRecords(value, whole);
        if (records != null && records.size() > 1) {
            return split(s, topic, records);
        }
        return unit(s, topic, value, whole);
    }

    /** One unit (a payload, or one Azure record) that is not split further. */
    private Batch unit(PullSource s, String topic, byte[] value, ParseResult parsed) {
        String source = s.kind() + ":" + s.name();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        int entries = parsed.events().size() + parsed.rejections().size();
        String refused = refusedAccount(s, parsed);
        if (refused != null) {
            out.add(deadLetter(
                    source,
                    DeadLetter.Reason.BAD_FIELD,
                    "account " + refused + " is not allowed on " + source + " (tenant " + s.tenant() + ")",
                    value));
            return new Batch(out, 0, entries, parsed.skipped());
        }
        if (!parsed.events().isEmpty()) {
            // readable events of several functions, or with unreadable neighbours the service will dead-letter
            out.add(RawRecords.of(topic, value, parsed));
            return new Batch(out, parsed.events().size(), parsed.rejections().size(), parsed.skipped());
        }
        for (Rejection r : parsed.rejections()) {
            out.add(deadLetter(r.source() == null ? source : r.source(), r.reason(), r.detail(), value));
        }
        return new Batch(out, 0, parsed.rejections().size(), parsed.skipped());
    }

    /** Each Azure record parsed alone, the readable ones grouped by function, the others dead-lettered. */
    private Batch split(PullSource s, String topic, ArrayNode records) {
        Map<String, ArrayNode> groups = new LinkedHashMap<>();
        Map<String, List<FunctionEvent>> events = new LinkedHashMap<>();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        int written = 0;
        int dead = 0;
        int skipped = 0;
        for (JsonNode element : records) {
            byte[] one = Json.bytes(wrap(element));
            ParseResult parsed = parsers.get().parse(one, s.tenant());
            String key = FileReplayer.functionKey(parsed);
            if (key == null || !parsed.rejections().isEmpty() || refusedAccount(s, parsed) != null) {
                Batch b = unit(s, topic, one, parsed);
                out.addAll(b.records());
                written += b.events();
                dead += b.deadLetters();
                skipped += b.skipped();
            } else {
                groups.computeIfAbsent(key, k -> Json.MAPPER.createArrayNode()).add(element);
                events.computeIfAbsent(key, k -> new ArrayList<>()).addAll(parsed.events());
                written += parsed.events().size();
                skipped += parsed.skipped();
            }
        }
        List<ProducerRecord<String, byte[]>> raw = new ArrayList<>();
        groups.forEach((key, group) -> raw.add(
                RawRecords.of(topic, Json.bytes(wrapAll(group)), new ParseResult(events.get(key), List.of(), 0))));
        raw.addAll(out);
        return new Batch(raw, written, dead, skipped);
    }

    /** The records of an Azure {@code {"records":[…]}} payload the whole parse could not key, else null. */
    private static ArrayNode azureRecords(byte[] value, ParseResult whole) {
        if (whole.events().isEmpty() || whole.events().stream().noneMatch(e -> "azure".equals(e.provider()))) {
            return null;
        }
        try {
            JsonNode doc = Json.MAPPER.readTree(value);
            return doc != null && doc.isObject() && doc.get("records") instanceof ArrayNode a ? a : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode wrap(JsonNode element) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.putArray("records").add(element);
        return doc;
    }

    private static ObjectNode wrapAll(ArrayNode elements) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.set("records", elements);
        return doc;
    }

    private static boolean allowed(PullSource s, ParseResult parsed) {
        return refusedAccount(s, parsed) == null;
    }

    /** The first account an event names that the source may not send, else null. */
    private static String refusedAccount(PullSource s, ParseResult parsed) {
        for (FunctionEvent e : parsed.events()) {
            if (!s.allows(e.account())) {
                return e.account();
            }
        }
        return null;
    }

    /** A dead letter written by the puller itself, keyed by its source. */
    public ProducerRecord<String, byte[]> deadLetter(
            String source, DeadLetter.Reason reason, String detail, byte[] payload) {
        return new ProducerRecord<>(
                deadLetterTopic,
                source,
                Json.bytes(DeadLetters.refused(reason.name(), detail, source, payload, clock.getAsLong())));
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }
}
