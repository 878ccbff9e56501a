package io.fnwatch.notify;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A receiver of notices: renders each one as the receiver's documented API expects. Sinks do no I/O; the
 * delivery engine sends their requests, retries, and reports back with {@link #delivered}.
 */
public interface Sink {

    /** The name the routes file gives it. */
    String name();

    /** {@code slack}, {@code pagerduty}, {@code alertmanager} or {@code webhook}. */
    String type();

    /** The request for {@code notice} at {@code now} (signatures and Alertmanager's {@code endsAt} use it). */
    SinkRequest request(Notice notice, Instant now);

    /**
     * Called once the receiver accepted {@code notice}; also, when an instance takes a partition over, for each
     * notice delivered from it before (read back from the alerts topic up to the committed offset), so that
     * what the sink remembers (Alertmanager's open incidents) survives restarts and rebalances.
     */
    default void delivered(Notice notice, Instant now) {}

    /**
     * Drops what the sink remembers of the incidents {@code ids} (their partition moved to another instance,
     * which now speaks for them).
     */
    default void forget(Set<String> ids) {}

    /** Notices the sink wants sent again by now, apart from any alert (Alertmanager's re-sends of open alerts). */
    default List<Notice> due(Instant now) {
        return List.of();
    }

    /** The sink's settings with every secret masked: safe to log and print. */
    String describe();
}
