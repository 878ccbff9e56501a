package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FirehoseRequestIdsTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void shouldReportDeliveredWhenTheSameIdComesAgainWithinTheTtl() {
        FirehoseRequestIds ids = new FirehoseRequestIds(10, 60_000, now::get);

        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.IN_FLIGHT);
        ids.delivered("acme", "a");
        now.addAndGet(59_999);
        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
        now.addAndGet(60_000);
        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldLetARetryThroughWhenTheFirstAttemptFailed() {
        FirehoseRequestIds ids = new FirehoseRequestIds(10, 60_000, now::get);
        ids.claim("acme", "a");
        ids.failed("acme", "a");

        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldForgetTheOldestIdsWhenMoreThanTheLimitAreSeen() {
        FirehoseRequestIds ids = new FirehoseRequestIds(3, 60_000, now::get);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            ids.claim("acme", id);
            ids.delivered("acme", id);
        }

        assertThat(ids.size("acme")).isEqualTo(3);
        assertThat(ids.claim("acme", "d")).isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
        assertThat(ids.claim("acme", "a")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldKeepATenantsIdsWhenAnotherTenantSendsManyMore() {
        FirehoseRequestIds ids = new FirehoseRequestIds(3, 60_000, now::get);
        ids.claim("globex", "theirs");
        ids.delivered("globex", "theirs");

        for (int i = 0; i < 1_000; i++) {
            ids.claim("acme", "flood-" + i);
            ids.delivered("acme", "flood-" + i);
        }

        assertThat(ids.size("acme")).isEqualTo(3);
        assertThat(ids.claim("globex", "theirs")).isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
    }

    @Test
    void shouldNotSuppressAnotherTenantsRequestWithTheSameId() {
        FirehoseRequestIds ids = new FirehoseRequestIds(3, 60_000, now::get);
        ids.claim("acme", "same");
        ids.delivered("acme", "same");

        assertThat(ids.claim("globex", "same")).isEqualTo(FirehoseRequestIds.Claim.NEW);
        // the tenant's name and the id are hashed apart: "a" + "b/c" is not "a/b" + "c"
        ids.claim("a", "b/c");
        ids.delivered("a", "b/c");
        assertThat(ids.claim("a/b", "c")).isEqualTo(FirehoseRequestIds.Claim.NEW);
    }

    @Test
    void shouldDropExpiredIdsWithoutWaitingForTheCap() {
        FirehoseRequestIds ids = new FirehoseRequestIds(100, 60_000, now::get);
        for (int i = 0; i < 50; i++) {
            ids.claim("acme", "old-" + i);
            ids.delivered("acme", "old-" + i);
        }
        now.addAndGet(60_000);

        ids.claim("acme", "new");

        assertThat(ids.size("acme")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnIdLongerThan256CharactersWith400() {
        String longest = "x".repeat(FirehoseRequestIds.MAX_ID_CHARS);

        assertThatThrownBy(() -> FirehoseRequestIds.checkLength(longest + "x"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining("257 characters")
                .hasMessageContaining("at most 256");
        assertThat(FirehoseRequestIds.echoable(longest + "x")).isNull();
        assertThat(FirehoseRequestIds.echoable(longest)).isEqualTo(longest);
    }

    @Test
    void shouldKeepNoReferenceToTheIdAsSent() {
        FirehoseRequestIds ids = new FirehoseRequestIds(10, 60_000, now::get);
        String id = new String(new char[FirehoseRequestIds.MAX_ID_CHARS]).replace('\0', 'i');
        WeakReference<String> sent = new WeakReference<>(id);
        ids.claim("acme", id);
        ids.delivered("acme", id);
        id = null;

        // only a fixed-size digest is stored: once the caller lets go, the string itself can be collected
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sent.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }

        assertThat(sent.get()).isNull();
        assertThat(ids.claim("acme", "i".repeat(FirehoseRequestIds.MAX_ID_CHARS)))
                .isEqualTo(FirehoseRequestIds.Claim.DELIVERED);
    }
}
