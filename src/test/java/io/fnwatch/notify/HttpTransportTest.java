package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTransportTest {

    private static final Instant NOW = Instant.parse("2026-03-03T14:05:00Z");

    private static SinkRequest post(Receiver r) {
        return new SinkRequest(r.uri("/x"), Map.of("Content-Type", "application/json"), "{}".getBytes());
    }

    @Test
    void classifiesAnswersAndReadsRetryAfter() throws Exception {
        try (Receiver r = new Receiver()) {
            r.then(
                    Receiver.Answer.ok(),
                    Receiver.Answer.status(500),
                    Receiver.Answer.retryAfter(429, "7"),
                    Receiver.Answer.retryAfter(503, "Tue, 03 Mar 2026 14:05:30 GMT"),
                    Receiver.Answer.status(400),
                    Receiver.Answer.status(404));
            HttpTransport http = new HttpTransport(Duration.ofSeconds(2), Duration.ofSeconds(2));

            assertThat(http.send(post(r)).outcome()).isEqualTo(HttpTransport.Outcome.DELIVERED);
            HttpTransport.Response err = http.send(post(r));
            assertThat(err.outcome()).isEqualTo(HttpTransport.Outcome.RETRY);
            assertThat(err.describe()).isEqualTo("HTTP 500: error 500");
            HttpTransport.Response slow = http.send(post(r));
            assertThat(slow.outcome()).isEqualTo(HttpTransport.Outcome.RETRY);
            assertThat(slow.retryAfter(NOW)).contains(Duration.ofSeconds(7));
            assertThat(http.send(post(r)).retryAfter(NOW)).contains(Duration.ofSeconds(30));
            assertThat(http.send(post(r)).outcome()).isEqualTo(HttpTransport.Outcome.REJECTED);
            assertThat(http.send(post(r)).outcome()).isEqualTo(HttpTransport.Outcome.REJECTED);
            assertThat(r.requests()).hasSize(6);
        }
    }

    @Test
    void aReceiverThatHangsCostsAtMostTheRequestTimeout() throws Exception {
        try (Receiver r = new Receiver()) {
            r.always(Receiver.Answer.hanging());
            HttpTransport http = new HttpTransport(Duration.ofSeconds(2), Duration.ofMillis(300));

            long start = System.nanoTime();
            assertThatThrownBy(() -> http.send(post(r))).isInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void retryAfterThatIsNeitherSecondsNorADateIsIgnored() {
        assertThat(HttpTransport.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(HttpTransport.parseRetryAfter("-5", NOW)).isEmpty();
        assertThat(HttpTransport.parseRetryAfter(null, NOW)).isEmpty();
        assertThat(HttpTransport.parseRetryAfter("Tue, 03 Mar 2026 14:00:00 GMT", NOW))
                .contains(Duration.ZERO);
    }
}
