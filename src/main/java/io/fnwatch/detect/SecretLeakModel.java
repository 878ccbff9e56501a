package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports functions that write secrets to their logs (the parser has already masked them).
 *
 * <p>Rule: an event whose message had secrets masked raises SECRET_IN_LOGS unless the function's last such
 * alert was less than {@code every} ago in event time — at most one alert per function per {@code every}.
 * The evidence names the kinds of secret and the request, never the secret.
 */
public final class SecretLeakModel implements Detector<SecretLeakModel.Settings> {

    public record Settings(long everyMs) {}

    public static final DetectorSpec<Settings, SecretLeakModel> SPEC = DetectorSpec.of(
                    "secret-in-logs", 5, SecretLeakModel::new, AlertType.SECRET_IN_LOGS)
            .withParams(Param.duration("every", "1m", "30d", "at most one alert per function this often"))
            .withSettings(v -> new Settings(v.millis("every")));

    private long lastAlertAt = Long.MIN_VALUE;
    private int suppressed;

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        if (e.secrets() == null || e.secrets().isEmpty()) {
            return;
        }
        long t = e.epochMillis();
        if (lastAlertAt != Long.MIN_VALUE && t - lastAlertAt < s.everyMs()) {
            suppressed++;
            return;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kinds", e.secrets());
        ev.put("requestId", e.requestId());
        ev.put("source", e.source());
        ev.put("eventKind", e.kind().name());
        ev.put("similarSinceLastAlert", suppressed);
        String summary = String.format(
                "%s wrote %s to its logs (masked by fnwatch; rotate the credential).",
                out.key().function(), String.join(", ", e.secrets()));
        out.emit(new Emitter.Draft(
                AlertType.SECRET_IN_LOGS,
                AlertState.OPEN,
                t,
                t,
                t,
                t,
                90,
                e.secrets().size(),
                0,
                1,
                summary,
                ev));
        lastAlertAt = t;
        suppressed = 0;
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(lastAlertAt);
        o.writeInt(suppressed);
    }

    @Override
    public void read(DataInput in) throws IOException {
        lastAlertAt = in.readLong();
        suppressed = in.readInt();
    }
}
