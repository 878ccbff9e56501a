package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.ingest.TokenBuckets;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * What the puller takes from its environment: base credentials, the clock that ends each query, how it waits
 * and draws jitter, and a hook before each commit. Production uses the real ones; tests pass static
 * credentials, a manual clock, a recording sleeper and a kill switch.
 */
record PullerOptions(
        AwsCredentialsProvider credentials,
        LongSupplier clock,
        RequestGate.Sleeper sleeper,
        DoubleSupplier random,
        TimeMeter time,
        PageWriter.BeforeCommit beforeCommit) {

    static PullerOptions production() {
        return new PullerOptions(
                DefaultCredentialsProvider.builder().build(),
                System::currentTimeMillis,
                TimeUnit.NANOSECONDS::sleep,
                () -> ThreadLocalRandom.current().nextDouble(),
                TimeMeter.SYSTEM_NANOTIME,
                () -> {});
    }

    /** The shared gate: one token bucket per account and region, a burst of one second's worth. */
    RequestGate gate(CloudWatchSettings s) {
        long burst = Math.max(1, (long) Math.ceil(s.ratePerSecond()));
        return new RequestGate(
                new TokenBuckets(s.ratePerSecond(), burst, time),
                new Backoff(s.backoffBaseMs(), s.backoffMaxMs(), random),
                s.maxAttempts(),
                sleeper);
    }
}
