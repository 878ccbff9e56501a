package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.model.FunctionEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Feeds the events read back from the repartition topic (those whose raw record was not keyed by their function)
 * to the task's {@link Detection}; events of records keyed by their function reach it from {@link
 * ParseProcessor} directly. Also runs the task's census of functions and flushes the detection's counters.
 */
final class DetectProcessor extends ContextualProcessor<String, FunctionEvent, String, Routed> {

    static final String STORE = "detectors-state-store";
    /** How often the functions gauges are recounted: a full pass over this task's store, so not often. */
    static final Duration CENSUS_EVERY = Duration.ofMinutes(1);
    /** The granularity of stream time for the detectors of silent functions (see {@link DeadlineIndex}). */
    static final Duration TICK = Duration.ofSeconds(10);
    /**
     * How many of one function's deadlines a tick or an event meets one by one (each at its own time); after a
     * silence longer than that (a backlog's gap of days) the rest are met at once, at stream time.
     */
    static final int MAX_STEPS = 64;

    private final DetectorConfig detectors;
    private final PipelineMeters meters;
    private final PipelineMeters.Local counts;
    private final Outputs outputs;
    private final long historyRetentionMs;
    private Detection detection;

    DetectProcessor(DetectorConfig detectors, PipelineMeters meters, Outputs outputs, long historyRetentionMs) {
        this.detectors = detectors;
        this.meters = meters;
        this.counts = meters.local();
        this.outputs = outputs;
        this.historyRetentionMs = historyRetentionMs;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        super.init(context);
        detection = Detection.of(context, detectors, meters, outputs, historyRetentionMs);
        context.schedule(CENSUS_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> detection.census(taskId()));
        context.schedule(PipelineMeters.FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> flushCounts());
    }

    private String taskId() {
        return context().taskId().toString();
    }

    private void flushCounts() {
        counts.flush();
        detection.flushCounts();
    }

    @Override
    public void close() {
        flushCounts();
        meters.census(taskId(), null);
    }

    @Override
    public void process(Record<String, FunctionEvent> r) {
        counts.recordIn(outputs.repartition());
        if (outputs.eventsTap() != null) {
            counts.recordOut(outputs.eventsTap());
        }
        detection.process(context(), r.key(), r.value());
    }
}
