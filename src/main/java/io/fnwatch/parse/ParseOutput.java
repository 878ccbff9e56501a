package io.fnwatch.parse;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.FunctionEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one input became. Every event passes through {@link #add}, which is where secrets are
 * masked (before truncation, so a cut can never leave half a secret), messages are truncated, the default
 * tenant is applied and required fields are checked — the shape parsers need not remember any of it.
 */
public final class ParseOutput {

    private final ParserSettings settings;
    private final Redactor redactor;
    private final String forcedTenant;
    private final ParseBudget budget;
    private final List<FunctionEvent> events = new ArrayList<>(1);
    private final List<Rejection> rejections = new ArrayList<>(0);
    private int skipped;

    ParseOutput(ParserSettings settings, Redactor redactor, String forcedTenant, int recordBytes) {
        this.settings = settings;
        this.redactor = redactor;
        this.forcedTenant = forcedTenant;
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
        if (forcedTenant != null) {
            b.tenant = forcedTenant;
        } else if (b.tenant == null) {
            b.tenant = settings.defaultTenant();
        }
        if (b.message != null) {
            Redactor.Result r = redactor.redact(b.message);
            b.secrets = r.kinds().isEmpty() ? null : r.kinds();
            String m = r.text();
            b.message = m.length() <= settings.maxMessageChars() ? m : m.substring(0, settings.maxMessageChars());
        }
        // fields cut from the message (a resource URL, say) can carry the same secret
        b.principal = masked(b.principal);
        b.action = masked(b.action);
        b.resource = masked(b.resource);
        events.add(b.build());
    }

    private String masked(String field) {
        return field == null ? null : redactor.redact(field).text();
    }

    public void reject(Reason reason, String detail, String source) {
        budget.output();
        rejections.add(new Rejection(reason, detail, source));
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
