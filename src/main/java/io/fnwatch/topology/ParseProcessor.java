package io.fnwatch.topology;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.Rejection;
import io.fnwatch.serde.RawHeaders;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Raw bytes to normalized events (keyed by function, stamped with the event's own time) or dead letters.
 * Events whose raw key already names their function need no repartition; the topology routes on that.
 * A {@link RawHeaders#TENANT} header sets the tenant of every event of the record.
 */
final class ParseProcessor extends ContextualProcessor<String, byte[], String, Routed> {

    private final LogParser parser;
    private final PipelineMeters meters;
    private final Outputs outputs;

    ParseProcessor(ParserSettings settings, PipelineMeters meters, Outputs outputs) {
        this.parser = new LogParser(settings);
        this.meters = meters;
        this.outputs = outputs;
    }

    @Override
    public void process(Record<String, byte[]> raw) {
        meters.recordIn(context().recordMetadata().map(RecordMetadata::topic).orElse(outputs.raw()));
        ParseResult result = parseSafely(raw);
        for (FunctionEvent e : result.events()) {
            String key = e.key().asString();
            boolean keyed = Objects.equals(key, raw.key());
            meters.event(e.provider(), e.kind());
            if (!keyed) {
                meters.recordOut(outputs.repartition());
            }
            context().forward(new Record<>(key, Routed.event(e, keyed), e.epochMillis()));
        }
        long now = System.currentTimeMillis();
        for (Rejection r : result.rejections()) {
            meters.deadLetter(r.reason().name());
            meters.recordOut(outputs.deadLetters());
            // arrival time, not the raw record's (possibly old) event time: retention must not delete it at once
            context().forward(new Record<>(raw.key(), Routed.dead(DeadLetters.of(r.reason().name(), r.detail(),
                    r.source(), raw.value(), context().recordMetadata(), now)), now));
        }
    }

    /**
     * The parser answers for every input, but a bug or an exhausted stack must still cost one record, not the
     * stream thread (which would meet the same record after every restart): it is dead-lettered whole.
     */
    private ParseResult parseSafely(Record<String, byte[]> raw) {
        try {
            return parser.parse(raw.value(), RawHeaders.tenant(raw.headers()));
        } catch (RuntimeException | StackOverflowError e) {
            return ParseResult.reject(DeadLetter.Reason.PROCESSING_ERROR, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), null);
        }
    }
}
