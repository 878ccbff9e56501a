package io.fnwatch.parse;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.MetricSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what one input became. Every event passes through {@link #add}, which is where secrets are
 * masked (before truncation, so a cut can never leave half a secret), messages are truncated, the default
 * tenant is set and required fields are checked — the shape parsers need not remember any of it. Every
 * rejection passes through {@link #reject}, which masks its detail, so no consumer prints a secret an error
 * message echoed.
 *
 * <p>Masking reads a bounded window of each message ({@code maxMessageChars} + {@link Redactor#MARGIN}), so
 * its cost does not grow with the message. A private key block logged over several events (one line each)
 * is masked in all of them: an event that opens a block without closing it leaves its log stream (the
 * event's source) "inside a key block", and that stream's next events are masked up to the block's footer,
 * for at most {@link #MAX_KEY_BLOCK_EVENTS} events. This state spans the events of one record (one payload),
 * not records: a key split across two Kafka records is masked from its header to the end of the first one.
 */
public final class ParseOutput {

    private final ParserSettings settings;
    private final Redactor redactor;
    private final String tenant;
    private final ParseBudget budget;
    private final List<FunctionEvent> events = new ArrayList<>(1);
    private final List<Rejection> rejections = new ArrayList<>(0);
    /** Log streams inside a private key block, with the events each has left before the state is dropped. */
    private Map<String, Integer> openKeyBlocks;

    private int skipped;

    /** A PEM or PGP key of 4096 bits is under 120 lines; past this many events a block is taken as ended. */
    static final int MAX_KEY_BLOCK_EVENTS = 256;

    ParseOutput(ParserSettings settings, Redactor redactor, String tenant, int recordBytes) {
        this.settings = settings;
        this.redactor = redactor;
        this.tenant = tenant;
        this.budget = new ParseBudget(settings, recordBytes);
    }

    /** Finishes and keeps one event; rejects it as MISSING_FIELD when it names no function or time. */
    public void add(FunctionEvent.Builder b) {
        String badNumber = NumericFields.problem(b);
        if (badNumber != null) {
            reject(Reason.BAD_FIELD, badNumber, b.source);
            return;
        }
        if (b.function == null || b.function.isEmpty()) {
            reject(Reason.MISSING_FIELD, "no function name", b.source);
            return;
        }
        if (b.timestamp == null) {
            reject(Reason.MISSING_FIELD, "no timestamp", b.source);
            return;
        }
        budget.output(); // before the masking: an event past the budget costs nothing more
        // the tenant comes from where the record came from (its raw topic), never from the payload
        b.tenant = tenant;
        if (b.message != null) {
            String stream = b.source == null ? "" : b.source;
            Integer left = openKeyBlocks == null ? null : openKeyBlocks.get(stream);
            var r = redactor.window(b.message, settings.maxMessageChars(), left != null);
            b.secrets = r.kinds().isEmpty() ? null : r.kinds();
            b.message = r.text();
            keyBlockState(stream, r.openKeyBlock(), left);
        }
        // fields cut from the message (a resource URL, say) can carry the same secret
        b.principal = masked(b.principal);
        b.action = masked(b.action);
        b.resource = masked(b.resource);
        b.errorType = masked(b.errorType);
        if (b.metrics != null) {
            b.metrics = maskedMetrics(b.metrics);
        }
        events.add(b.build());
    }

    private void keyBlockState(String stream, boolean open, Integer left) {
        if (open && (left == null || left > 1)) {
            if (openKeyBlocks == null) {
                openKeyBlocks = new HashMap<>(2);
            }
            openKeyBlocks.put(stream, left == null ? MAX_KEY_BLOCK_EVENTS : left - 1);
        } else if (left != null) {
            openKeyBlocks.remove(stream);
        }
    }

    /** Metric names and dimension values are the function's text too, and reach alert evidence. */
    private List<MetricSample> maskedMetrics(List<MetricSample> metrics) {
        List<MetricSample> out = new ArrayList<>(metrics.size());
        for (MetricSample m : metrics) {
            out.add(new MetricSample(
                    masked(m.namespace()), masked(m.name()), m.unit(), masked(m.dimensions()), m.sum(), m.count()));
        }
        return out;
    }

    private String masked(String field) {
        return field == null ? null : redactor.maskedHead(field, MAX_FIELD_CHARS);
    }

    /** Fields other than the message are not cut by the settings; this only bounds the masking work. */
    private static final int MAX_FIELD_CHARS = 64 * 1024;

    /**
     * Keeps a rejection, its detail masked: parsers echo what they could not read ("timestamp is not RFC
     * 3339: ..."), and JSON errors quote the unreadable token itself, which is dropped whatever it looks like.
     */
    public void reject(Reason reason, String detail, String source) {
        budget.output();
        rejections.add(new Rejection(reason, detail == null ? null : safeDetail(detail), source));
    }

    private String safeDetail(String detail) {
        return redactor.maskedDetail(detail, settings.maxMessageChars());
    }

    /** An input that is deliberately not an event (a CloudWatch Logs CONTROL_MESSAGE). */
    public void skip() {
        budget.output();
        skipped++;
    }

    public ParserSettings settings() {
        return settings;
    }

    /** What this record may still spend, across all its nesting levels. */
    ParseBudget budget() {
        return budget;
    }

    ParseResult result() {
        return new ParseResult(events, rejections, skipped);
    }
}
