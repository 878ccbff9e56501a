package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FirehoseRequestIdsTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void shouldReportDeliveredWhenTheSameIdComesAgainWithinTheTtl() {
        FirehoseRequestIds ids = new FirehoseRequestIds(10, 60_000, now::get);

        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.IN_FLIGHT);
        ids.delivered("a");
        now.addAndGet(59_999);
        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
        now.addAndGet(60_000);
        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldLetARetryThroughWhenTheFirstAttemptFailed() {
        FirehoseRequestIds ids = new FirehoseRequestIds(10, 60_000, now::get);
        ids.claim("a");
        ids.failed("a");

        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldForgetTheOldestIdsWhenMoreThanTheLimitAreSeen() {
        FirehoseRequestIds ids = new FirehoseRequestIds(3, 60_000, now::get);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            ids.claim(id);
            ids.delivered(id);
        }

        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.claim("d")).isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
        assertThat(ids.claim("a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }
}
