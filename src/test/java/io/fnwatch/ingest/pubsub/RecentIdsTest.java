package io.fnwatch.ingest.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ingest.pull.PulledLogs;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void shouldSuppressACopyDeliveredWithinTheWindowOnly() {
        RecentIds ids = new RecentIds(100, 60_000, now::get);
        assertThat(ids.claim(1).claim()).isEqualTo(RecentIds.Claim.NEW);
        ids.delivered(1);
        now.addAndGet(60_000);
        assertThat(ids.claim(1).claim()).isEqualTo(RecentIds.Claim.DELIVERED);
        now.addAndGet(1);
        assertThat(ids.claim(1).claim()).isEqualTo(RecentIds.Claim.NEW);
    }

    @Test
    void shouldKeepAtMostMaxIdsForgettingTheOldestFirst() {
        RecentIds ids = new RecentIds(3, 60_000, now::get);
        for (long id = 1; id <= 5; id++) {
            ids.claim(id);
            ids.delivered(id);
        }
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.claim(5).claim()).isEqualTo(RecentIds.Claim.DELIVERED);
        assertThat(ids.claim(2).claim()).isEqualTo(RecentIds.Claim.NEW);
    }

    @Test
    void shouldLetACopyInFlightFollowTheFirstsOutcomeAndNeverRememberAFailure() {
        RecentIds ids = new RecentIds(100, 60_000, now::get);
        ids.claim(7);
        RecentIds.Outcome copy = ids.claim(7);
        assertThat(copy.claim()).isEqualTo(RecentIds.Claim.IN_FLIGHT);
        ids.failed(7);
        assertThat(copy.first()).isCompletedWithValue(false);
        assertThat(ids.claim(7).claim()).isEqualTo(RecentIds.Claim.NEW);
        RecentIds.Outcome second = ids.claim(7);
        ids.delivered(7);
        assertThat(second.first()).isCompletedWithValue(true);
    }

    @Test
    void shouldNameAnEntryByLogNameTimestampAndInsertIdWhicheverMessageCarriesIt() {
        byte[] entry = PulledLogs.gcp("p", "svc", "abc", 1);
        assertThat(EntryIds.of(entry, "m1")).isEqualTo(EntryIds.of(entry, "m2"));
        assertThat(EntryIds.of(entry, "m1")).isNotEqualTo(EntryIds.of(PulledLogs.gcp("p", "svc", "abd", 1), "m1"));
        assertThat(EntryIds.of(entry, "m1")).isNotEqualTo(EntryIds.of(PulledLogs.gcp("p", "svc", "abc", 2), "m1"));
        // not a LogEntry, or no insertId: the message id names it
        byte[] junk = "{\"insertId\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(EntryIds.of(junk, "m1")).isNotEqualTo(EntryIds.of(junk, "m2"));
        assertThat(EntryIds.of(new byte[0], "m1")).isEqualTo(EntryIds.of(new byte[0], "m1"));
    }
}
