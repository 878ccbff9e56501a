package io.fnwatch.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Sends sink requests with the JDK's HTTP client: a connect timeout, a timeout per request (a receiver that
 * hangs costs at most that), no redirects followed (a webhook that redirects is misconfigured, and a
 * redirect would carry the signed body elsewhere). The answer is classified by {@link Response#outcome()}.
 */
public final class HttpTransport {

    /** The first characters of a receiver's answer kept for errors and {@code notify test}. */
    static final int BODY_CHARS = 300;

    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpTransport(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** What came back: the status, the start of the body and the {@code Retry-After} header, if any. */
    public record Response(int status, String body, String retryAfter) {

        public Outcome outcome() {
            if (status >= 200 && status < 300) {
                return Outcome.DELIVERED;
            }
            // 408 Request Timeout, 425 Too Early, 429 Too Many Requests and every 5xx may pass later
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                return Outcome.RETRY;
            }
            return Outcome.REJECTED;
        }

        /** The wait {@code Retry-After} asks for at {@code now} (delta-seconds or an HTTP date), if any. */
        public Optional<Duration> retryAfter(Instant now) {
            return parseRetryAfter(retryAfter, now);
        }

        /** {@code HTTP 500: <start of the body>}, for errors and dead letters. */
        public String describe() {
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
        }
    }

    /** DELIVERED (2xx), RETRY (408, 425, 429, 5xx, no answer), REJECTED (any other: retrying cannot help). */
    public enum Outcome {
        DELIVERED,
        RETRY,
        REJECTED
    }

    /** Sends {@code r}; IOException for no answer (refused, reset, timed out). */
    public Response send(SinkRequest r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri())
                .timeout(requestTimeout)
                .header("User-Agent", "fnwatch-notify")
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(resp.body(), StandardCharsets.UTF_8);
        return new Response(
                resp.statusCode(),
                Texts.cut(body, BODY_CHARS),
                resp.headers().firstValue("Retry-After").orElse(null));
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
