package io.fnwatch.bench;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParserSettings;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The steady traffic of {@code bench latency}: {@code F} Lambda functions invoked in turn, each invocation a
 * START and a REPORT line (the first one a cold start: INIT_START, and an Init Duration in the REPORT), with
 * lognormal durations around each function's own median. Records are keyed and stamped as {@code replay}
 * does: by the function (its key is parsed once from its first line) and by the event's own time.
 */
final class BackgroundLoad {

    private static final String[] RUNTIMES = {"python:3.12.v38", "nodejs:22.v12", "java:21.v27", "python:3.13.v9"};

    private final String topic;
    private final LambdaLines[] functions;
    private final String[] keys;
    private final double[] medianMs;
    private final String[] open;
    private final boolean[] started;
    private final boolean[] warm;
    private final SplittableRandom random;
    private int next;

    BackgroundLoad(String topic, int count, long seed, ParserSettings settings) {
        this.topic = topic;
        this.functions = new LambdaLines[count];
        this.keys = new String[count];
        this.medianMs = new double[count];
        this.open = new String[count];
        this.started = new boolean[count];
        this.warm = new boolean[count];
        this.random = new SplittableRandom(seed);
        LogParser parser = new LogParser(settings);
        for (int i = 0; i < count; i++) {
            functions[i] = new LambdaLines(String.format("load-%05d", i), 128 << random.nextInt(4), seed + i);
            keys[i] = FileReplayer.functionKey(parser.parse(functions[i].start(0, functions[i].requestId())));
            medianMs[i] = 20 * Math.exp(random.nextDouble() * 3);
        }
    }

    /** The raw key of function {@code i} (as {@code replay} would key its records). */
    String key(int i) {
        return keys[i];
    }

    /** The next record, stamped {@code now}: the functions take turns, one line each. */
    ProducerRecord<String, byte[]> next(long now) {
        int i = next;
        next = (next + 1) % functions.length;
        LambdaLines f = functions[i];
        byte[] line;
        if (!started[i]) {
            started[i] = true;
            line = f.initStart(now, RUNTIMES[i % RUNTIMES.length]);
        } else if (open[i] == null) {
            open[i] = f.requestId();
            line = f.start(now, open[i]);
        } else {
            double d = medianMs[i] * Math.exp(random.nextGaussian() * 0.3);
            line = f.report(now, open[i], d, warm[i] ? -1 : 150 + random.nextDouble() * 600);
            warm[i] = true;
            open[i] = null;
        }
        return new ProducerRecord<>(topic, null, now, keys[i], line);
    }
}
