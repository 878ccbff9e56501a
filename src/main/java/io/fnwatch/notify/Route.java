package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.Severity;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One route of the routes file: which alerts (tenant and function globs, types, a minimum severity, states)
 * go to which sinks, and at most how many messages a minute ({@code rateLimit}, 0 for no limit; the rest go
 * out as one digest a minute).
 */
public record Route(
        String name,
        String tenantGlob,
        String functionGlob,
        Set<AlertType> types,
        Severity minSeverity,
        Set<Notice.Kind> states,
        List<String> sinks,
        int rateLimit) {

    public Route {
        types = Set.copyOf(types);
        states = Set.copyOf(states);
        sinks = List.copyOf(sinks);
    }

    /** True when the alert, as OPEN, UPDATE ({@code update}) or RESOLVED, is one this route sends. */
    public boolean matches(Alert a, boolean update) {
        Notice.Kind kind = Notice.of(a, update, name).kind();
        return (types.isEmpty() || types.contains(a.type()))
                && a.severity().compareTo(minSeverity) >= 0
                && states.contains(kind)
                && glob(tenantGlob).matcher(a.tenant()).matches()
                && glob(functionGlob).matcher(a.function()).matches();
    }

    /** {@code *} any characters, {@code ?} one, everything else literal. */
    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
