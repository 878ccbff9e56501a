package io.fnwatch.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded fleet of Lambda functions as CloudWatch event lines in time order, with planted incidents —
 * traffic spikes (every 2nd function), slow durations (every 5th), denial bursts (every 4th) — and poison
 * records between them: malformed lines, oversized records and events later than the grace. The same seed
 * always writes the same bytes, so two runs of the service over it must raise the same alerts.
 */
final class FleetLogs {

    static final long T0 = Instant.parse("2026-03-10T00:00:00Z").toEpochMilli();
    static final String ACCOUNT = "210987654321";
    static final String REGION = "eu-west-1";
    private static final long MINUTE = 60_000;

    /** What was written, for sanity checks: lines, and the poison records by expected dead-letter reason. */
    record Written(int lines, int malformed, int oversized, int late) {}

    private record Line(long order, String json) {}

    private final Random random;
    private final int functions;
    private final int minutes;
    private final List<Line> lines = new ArrayList<>();

    FleetLogs(long seed, int functions, int minutes) {
        this.random = new Random(seed);
        this.functions = functions;
        this.minutes = minutes;
    }

    static String functionName(int f) {
        return String.format("fleet-%03d", f);
    }

    Written write(Path file) throws IOException {
        for (int f = 0; f < functions; f++) {
            function(f);
        }
        lines.sort(Comparator.comparingLong(Line::order));
        int malformed = 0;
        int oversized = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines.size(); i++) {
                w.write(lines.get(i).json());
                w.newLine();
                if (i % 1000 == 500) {
                    w.write(
                            i % 2000 == 500
                                    ? "{\"logGroup\":\"/aws/lambda/fleet-000\",\"timestamp\":" + i
                                    : "{\"hello\":\"world\",\"n\":" + i + "}");
                    w.newLine();
                    malformed++;
                }
                if (i % 30_000 == 15_000) {
                    w.write(event("fleet-oversized", "2026/03/10/[$LATEST]0", T0 + i, "x".repeat(100_000)));
                    w.newLine();
                    oversized++;
                }
            }
        }
        int late = (functions + 9) / 10;
        return new Written(lines.size() + malformed + oversized, malformed, oversized, late);
    }

    private void function(int f) {
        String name = functionName(f);
        String stream = "2026/03/10/[$LATEST]" + Long.toHexString(random.nextLong());
        double rate = 1 + 2 * random.nextDouble();
        double median = 80 + random.nextInt(300);
        int spikeAt = 140 + random.nextInt(Math.max(1, minutes - 180));
        boolean cold = true;
        for (int m = 0; m < minutes; m++) {
            int n = poisson(rate) + (f % 2 == 0 && m >= spikeAt && m < spikeAt + 8 ? 70 : 0);
            boolean slow = f % 5 == 0 && m >= minutes - 90 && m < minutes - 50;
            for (int i = 0; i < n; i++) {
                long t = T0 + m * MINUTE + random.nextInt((int) MINUTE);
                double ms = median * (slow ? 4 : 1) * Math.exp(0.25 * random.nextGaussian());
                invocation(name, stream, t, ms, cold);
                cold = false;
            }
            if (f % 4 == 0 && m >= spikeAt - 30 && m < spikeAt - 26) {
                for (int i = 0; i < 8; i++) {
                    deny(name, stream, T0 + m * MINUTE + random.nextInt((int) MINUTE));
                }
            }
        }
        if (f % 10 == 0) {
            // arrives with the last minute's records but happened two hours earlier: a LATE dead letter
            long t = T0 + (minutes - 1) * MINUTE;
            add(t + MINUTE - 1, event(name, stream, t - 120 * MINUTE, report("late-" + f, 100, false)));
        }
    }

    private void invocation(String name, String stream, long t, double ms, boolean cold) {
        String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        if (cold) {
            add(
                    t,
                    event(
                            name,
                            stream,
                            t,
                            "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: " + "arn:aws:lambda:"
                                    + REGION + "::runtime:0f0f"));
        }
        add(t, event(name, stream, t, "START RequestId: " + id + " Version: $LATEST"));
        long end = t + (long) ms;
        add(end, event(name, stream, end, report(id, ms, cold)));
    }

    private static String report(String id, double ms, boolean cold) {
        return String.format(
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB"
                        + "\tMax Memory Used: 120 MB\t%s",
                id, ms, (long) Math.ceil(ms), cold ? "Init Duration: 310.00 ms\t" : "");
    }

    private void deny(String name, String stream, long t) {
        String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        add(
                t,
                event(
                        name,
                        stream,
                        t,
                        "[ERROR]\t" + Instant.ofEpochMilli(t) + "\t" + id + "\tClientError: An error "
                                + "occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::"
                                + ACCOUNT
                                + ":assumed-role/" + name + "-role/" + name
                                + " is not authorized to perform: s3:GetObject on "
                                + "resource: arn:aws:s3:::fleet-data/" + name + "/input.csv"));
    }

    private void add(long order, String json) {
        lines.add(new Line(order, json));
    }

    private static String event(String name, String stream, long t, String message) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("logGroup", "/aws/lambda/" + name);
        n.put("logStream", stream);
        n.put("timestamp", t);
        n.put("message", message + "\n");
        n.put("account", ACCOUNT);
        n.put("region", REGION);
        return n.toString();
    }

    private int poisson(double lambda) {
        return io.fnwatch.bench.fleet.Poisson.sample(lambda, random);
    }
}
