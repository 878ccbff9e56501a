package io.fnwatch.bench;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Many functions with a few realistic records each, for {@code bench state --functions}: every function is
 * invoked once per round (an hour of event time, the functions spread over it), so that consecutive events of
 * one function are a whole fleet apart, as with a large, mostly idle fleet. Per function: a START/REPORT pair
 * per round, the first a cold start (Init Duration); one function in four also logs INIT_START with its
 * runtime, one in ten an AccessDenied error in the last round. Lines are made as they are sent, never held.
 */
final class ScaleFleet {

    static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final String[] RUNTIMES = {"python:3.12.v38", "nodejs:22.v12", "java:21.v27", "python:3.13.v9"};

    private final int functions;
    private final int rounds;

    ScaleFleet(int functions, int rounds) {
        this.functions = functions;
        this.rounds = rounds;
    }

    void forEach(Consumer<byte[]> sink) {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < functions; i++) {
                function(i, r, sink);
            }
        }
    }

    private void function(int i, int round, Consumer<byte[]> sink) {
        LambdaLines fn = new LambdaLines(String.format("fn-%07d", i), 128 << (i % 4), i);
        SplittableRandom random = new SplittableRandom(i * 31L + round);
        long t = START + round * HOUR + i * HOUR / functions;
        if (round == 0 && i % 4 == 0) {
            sink.accept(fn.initStart(t - 200, RUNTIMES[i / 4 % RUNTIMES.length]));
        }
        String id = fn.requestId(round + 1);
        double d = 20 * Math.exp(random.nextDouble() * 3) * Math.exp(random.nextGaussian() * 0.3);
        sink.accept(fn.start(t, id));
        sink.accept(fn.report(t + (long) d, id, d, round == 0 ? 150 + random.nextDouble() * 600 : -1));
        if (round == rounds - 1 && i % 10 == 0) {
            sink.accept(fn.denied(t + (long) d + 5, "ssm:GetParameter"));
        }
    }
}
