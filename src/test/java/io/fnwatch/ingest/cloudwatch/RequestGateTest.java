package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.ManualTime;
import io.fnwatch.ingest.TokenBuckets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

class RequestGateTest {

    private final List<Long> waits = new ArrayList<>();

    /** Time moves only when the gate waits: every wait is recorded and advances the clock. */
    private final ManualTime clock = new ManualTime(0);

    private RequestGate gate(double perSecond, long burst, int attempts) {
        return new RequestGate(
                new TokenBuckets(perSecond, burst, clock), new Backoff(100, 1000, () -> 0.5), attempts, n -> {
                    waits.add(n);
                    clock.advance(n);
                });
    }

    private static CloudWatchLogsException error(int status, String code) {
        return (CloudWatchLogsException) CloudWatchLogsException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .build();
    }

    @Test
    void shouldSpaceRequestsOfOneAccountAndRegionByTheSharedRateWhenTheBurstIsUsed() throws Exception {
        RequestGate gate = gate(5, 1, 1);

        for (int i = 0; i < 3; i++) {
            gate.call("123/us-east-1", "op", () -> "ok");
        }
        gate.call("456/us-east-1", "op", () -> "ok");

        assertThat(waits).containsExactly(200_000_000L, 200_000_000L);
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsButNotAccessDenied() throws Exception {
        RequestGate gate = gate(1000, 1000, 5);
        AtomicInteger calls = new AtomicInteger();

        String result = gate.call("a", "op", () -> {
            if (calls.incrementAndGet() <= 2) {
                throw calls.get() == 1 ? error(400, "ThrottlingException") : error(500, "InternalFailure");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(waits).containsExactly(75_000_000L, 150_000_000L);
        assertThatThrownBy(() -> gate.call("a", "op", () -> {
                    throw error(400, "AccessDeniedException");
                }))
                .isInstanceOf(CloudWatchLogsException.class);
        assertThat(waits).hasSize(2);
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWhenThrottlingGoesOn() {
        RequestGate gate = gate(1000, 1000, 3);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> gate.call("a", "op", () -> {
                    calls.incrementAndGet();
                    throw error(400, "ThrottlingException");
                }))
                .isInstanceOf(CloudWatchLogsException.class);
        assertThat(calls).hasValue(3);
    }
}
