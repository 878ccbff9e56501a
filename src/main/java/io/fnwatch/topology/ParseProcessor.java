package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.Rejection;
import io.fnwatch.serde.SourceHeaders;
import io.fnwatch.serde.TenantTopics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Raw bytes to normalized events (keyed by function, stamped with the event's own time) or dead letters.
 * Events whose raw key already names their function need no repartition: they go straight to the task's
 * {@link Detection} (no record, no hop between processors per event); the others are forwarded to the
 * repartition topic, and the detection's output (alerts, inventory, slices) downstream.
 * Every event of a record belongs to the tenant of the raw topic it was read from ({@link TenantTopics}):
 * the topic's ACLs vouch for it; headers and payload fields that name a tenant are ignored.
 */
final class ParseProcessor extends ContextualProcessor<byte[], byte[], String, Routed> {

    private final LogParser parser;
    private final ParserSettings settings;
    private final DetectorConfig detectors;
    private final PipelineMeters meters;
    private final PipelineMeters.Local counts;
    private final Outputs outputs;
    private final TenantTopics tenants;
    private final long historyRetentionMs;
    private final boolean eventsTap;
    private Detection detection;
    /** This stream thread's {@link ParseAhead}, once asked for results. */
    private ParseAhead parseAhead;
    // a task reads few topics: remember the last one's tenant rather than match the pattern per record
    private String lastTopic;
    private String lastTenant;

    ParseProcessor(
            ParserSettings settings,
            DetectorConfig detectors,
            PipelineMeters meters,
            Outputs outputs,
            TenantTopics tenants,
            long historyRetentionMs) {
        this.parser = new LogParser(settings);
        this.settings = settings;
        this.detectors = detectors;
        this.meters = meters;
        this.counts = meters.local();
        this.outputs = outputs;
        this.historyRetentionMs = historyRetentionMs;
        this.tenants = tenants;
        this.eventsTap = outputs.eventsTap() != null;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        super.init(context);
        detection = Detection.of(context, detectors, meters, outputs, historyRetentionMs);
        context.schedule(PipelineMeters.FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> counts.flush());
    }

    @Override
    public void close() {
        counts.flush();
    }

    private String tenantOf(String topic) {
        if (!topic.equals(lastTopic)) {
            lastTenant = tenants.tenantOf(topic);
            lastTopic = topic;
        }
        return lastTenant;
    }

    @Override
    public void process(Record<byte[], byte[]> raw) {
        RecordMetadata m = context().recordMetadata().orElse(null);
        String topic = m == null ? outputs.raw() : m.topic();
        counts.recordIn(topic);
        String tenant = tenantOf(topic);
        // the source pattern admits raw topics only, so this holds; were it broken, no tenant is guessed
        ParseAhead.Parsed ahead = tenant == null || m == null ? null : parsedAhead(topic, m.partition(), raw.value());
        ParseResult result;
        if (ahead != null) {
            result = ahead.result();
            counts.parsed(true);
        } else if (tenant != null) {
            result = parseSafely(raw, tenant);
            counts.parsed(false);
        } else {
            result = ParseResult.reject(Reason.BAD_FIELD, "topic " + topic + " names no tenant", null);
        }
        List<FunctionEvent> events = result.events();
        for (int i = 0; i < events.size(); i++) {
            FunctionEvent e = events.get(i);
            String key = ahead != null ? ahead.keys()[i] : e.key().asString();
            boolean keyed = ahead != null ? ahead.keyed()[i] : sameKey(key, raw.key());
            counts.event(e.provider(), e.kind());
            if (keyed) {
                if (eventsTap) {
                    counts.recordOut(outputs.eventsTap());
                    context().forward(new Record<>(key, Routed.event(e, true), e.epochMillis()));
                }
                detection.process(context(), key, e);
            } else {
                counts.recordOut(outputs.repartition());
                context().forward(new Record<>(key, Routed.event(e, false), e.epochMillis()));
            }
        }
        long now = System.currentTimeMillis();
        DeadLetters.Payload payload = result.rejections().isEmpty() ? null : DeadLetters.payload(raw.value());
        for (Rejection r : result.rejections()) {
            meters.deadLetter(r.reason().name());
            meters.recordOut(outputs.deadLetters());
            // arrival time, not the raw record's (possibly old) event time: retention must not delete it at once
            context()
                    .forward(new Record<>(
                            raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8),
                            Routed.dead(DeadLetters.of(
                                    r.reason().name(),
                                    r.detail(),
                                    r.source(),
                                    payload,
                                    context().recordMetadata(),
                                    now)),
                            now));
        }
    }

    /** Whether the raw record's key (UTF-8) is {@code key}, without decoding it: ASCII keys compare byte by byte. */
    static boolean sameKey(String key, byte[] raw) {
        if (raw == null) {
            return false;
        }
        int n = key.length();
        if (raw.length == n) {
            for (int i = 0; i < n; i++) {
                char c = key.charAt(i);
                if (c >= 0x80) {
                    return Arrays.equals(key.getBytes(StandardCharsets.UTF_8), raw);
                }
                if (raw[i] != (byte) c) {
                    return false;
                }
            }
            return true;
        }
        // an ASCII key has as many bytes as characters; only a non-ASCII one may still be equal
        return raw.length > n && !isAscii(key) && Arrays.equals(key.getBytes(StandardCharsets.UTF_8), raw);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The parser thread's result for this record, if it has one ready ({@link ParseAhead}). */
    private ParseAhead.Parsed parsedAhead(String topic, int partition, byte[] value) {
        ParseAhead a = ParseAhead.onThisThread();
        if (a == null) {
            return null;
        }
        if (a != parseAhead) {
            a.want(settings, tenants);
            parseAhead = a;
        }
        return a.take(topic, partition, value);
    }

    /**
     * The parser answers for every input, but a bug or an exhausted stack must still cost one record, not the
     * stream thread (which would meet the same record after every restart): it is dead-lettered whole.
     */
    private ParseResult parseSafely(Record<byte[], byte[]> raw, String tenant) {
        try {
            // the region fnwatch's ingest saw (a Firehose stream's ARN, a key's setting): keyed there with it too
            return parser.parse(raw.value(), tenant, SourceHeaders.hints(raw.headers()));
        } catch (RuntimeException | StackOverflowError e) {
            return ParseResult.reject(
                    Reason.PROCESSING_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }
}
