package io.fnwatch.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Meters of the running service beyond the pipeline's own counters: Kafka Streams' metrics (every client
 * and task metric, through Micrometer's binder), consumer lag per input topic, and the JVM. Closing
 * unbinds the Streams metrics.
 */
final class ServiceMeters implements AutoCloseable {

    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** {@code inputTopics}: the {@code topic} tag of each lag gauge, with the topics it sums (all raw topics). */
    ServiceMeters(MeterRegistry registry, KafkaStreams streams, Map<String, Predicate<String>> inputTopics) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        inputTopics.forEach((tag, topics) -> Gauge.builder("fnwatch.consumer.lag", streams, s -> lag(s, topics))
                .description("Records not yet read from the input topic, summed over this instance's partitions")
                .tag("topic", tag)
                .register(registry));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Sums the main consumers' per-partition {@code records-lag} (the restore consumer has its own). */
    static double lag(KafkaStreams streams, Predicate<String> topic) {
        double sum = 0;
        for (var e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag")
                    && n.group().equals(FETCH_GROUP)
                    && n.tags().get("topic") != null
                    && topic.test(n.tags().get("topic"))
                    && !n.tags().getOrDefault("client-id", "").endsWith("restore-consumer")) {
                Object v = ((Metric) e.getValue()).metricValue();
                sum += v instanceof Number x && !Double.isNaN(x.doubleValue()) ? x.doubleValue() : 0;
            }
        }
        return sum;
    }

    @Override
    public void close() {
        streamsMetrics.close();
        gc.close();
    }
}
