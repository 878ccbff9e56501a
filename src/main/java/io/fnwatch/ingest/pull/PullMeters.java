package io.fnwatch.ingest.pull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one pulled source on {@code /metrics}, tagged {@code source} (pubsub, eventhubs), {@code name}
 * (subscription or hub) and {@code tenant}: messages and bytes pulled, what their log entries became
 * ({@code outcome}: event, dead_letter, skipped — their sum is the entries pulled), duplicates dropped, errors by
 * kind, and a gauge of the backlog the API shows (Pub/Sub: messages received and not yet acknowledged; Event Hubs:
 * the consumer's lag behind the end of its partitions).
 */
public final class PullMeters {

    private final Counter messages;
    private final Counter bytes;
    private final Counter events;
    private final Counter deadLetters;
    private final Counter skipped;
    private final Counter duplicates;
    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicLong backlog = new AtomicLong();

    public PullMeters(MeterRegistry registry, PullSource s, String backlogName) {
        this.registry = registry;
        this.tags = Tags.of("source", s.kind(), "name", s.name(), "tenant", s.tenant());
        this.messages = registry.counter("fnwatch.pull.messages", tags);
        this.bytes = registry.counter("fnwatch.pull.bytes", tags);
        this.events = registry.counter("fnwatch.pull.log.entries", tags.and("outcome", "event"));
        this.deadLetters = registry.counter("fnwatch.pull.log.entries", tags.and("outcome", "dead_letter"));
        this.skipped = registry.counter("fnwatch.pull.log.entries", tags.and("outcome", "skipped"));
        this.duplicates = registry.counter("fnwatch.pull.duplicates", tags);
        registry.gauge("fnwatch.pull." + backlogName, tags, backlog);
    }

    public void pulled(long size) {
        messages.increment();
        bytes.increment(size);
    }

    /** Counted once the batch's records are acknowledged by Kafka. */
    public void written(PulledRecords.Batch b) {
        events.increment(b.events());
        deadLetters.increment(b.deadLetters());
        skipped.increment(b.skipped());
    }

    public void duplicate() {
        duplicates.increment();
    }

    /** {@code kind}: kafka (a raw write failed), source (pulling failed). */
    public void error(String kind) {
        registry.counter("fnwatch.pull.errors", tags.and("kind", kind)).increment();
    }

    public void backlog(long value) {
        backlog.set(value);
    }

    public double count(String outcome) {
        return switch (outcome) {
            case "event" -> events.count();
            case "dead_letter" -> deadLetters.count();
            case "skipped" -> skipped.count();
            case "messages" -> messages.count();
            case "duplicates" -> duplicates.count();
            default -> throw new IllegalArgumentException(outcome);
        };
    }
}
