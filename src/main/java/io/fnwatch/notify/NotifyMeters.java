package io.fnwatch.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Delivery meters, per sink ({@code sink} name and {@code type}): {@code fnwatch.notify.deliveries} (accepted
 * by the receiver), {@code fnwatch.notify.retries}, {@code fnwatch.notify.give.ups} (dead-lettered),
 * {@code fnwatch.notify.latency} (from reading the alert to the receiver's acceptance) and
 * {@code fnwatch.notify.queued} (notices waiting); {@code fnwatch.notify.unreadable} counts records of the
 * alerts topic that are not alert JSON.
 */
public final class NotifyMeters {

    private final MeterRegistry registry;
    private final Counter unreadable;

    public NotifyMeters(MeterRegistry registry) {
        this.registry = registry;
        this.unreadable = Counter.builder("fnwatch.notify.unreadable")
                .description("Records of the alerts topic that are not alert JSON (dead-lettered)")
                .register(registry);
    }

    /** The meters of one sink. */
    public final class OfSink {

        final Counter deliveries;
        final Counter retries;
        final Counter giveUps;
        final Timer latency;

        private OfSink(Sink sink, Supplier<Number> queued) {
            deliveries = Counter.builder("fnwatch.notify.deliveries")
                    .description("Notices the receiver accepted")
                    .tags("sink", sink.name(), "type", sink.type())
                    .register(registry);
            retries = Counter.builder("fnwatch.notify.retries")
                    .description("Failed attempts that will be retried (5xx, 429, timeouts, refused connections)")
                    .tags("sink", sink.name(), "type", sink.type())
                    .register(registry);
            giveUps = Counter.builder("fnwatch.notify.give.ups")
                    .description("Notices given up (rejected, or failing past notify.give.up.after) and dead-lettered")
                    .tags("sink", sink.name(), "type", sink.type())
                    .register(registry);
            latency = Timer.builder("fnwatch.notify.latency")
                    .description("From reading the alert to the receiver's acceptance")
                    .tags("sink", sink.name(), "type", sink.type())
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
            Gauge.builder("fnwatch.notify.queued", queued)
                    .description("Notices waiting for this sink")
                    .tags("sink", sink.name(), "type", sink.type())
                    .register(registry);
        }

        void delivered(Duration latency) {
            deliveries.increment();
            this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    OfSink of(Sink sink, Supplier<Number> queued) {
        return new OfSink(sink, queued);
    }

    void unreadable() {
        unreadable.increment();
    }
}
