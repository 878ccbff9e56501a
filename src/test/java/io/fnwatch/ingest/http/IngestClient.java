package io.fnwatch.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A plain JDK HTTP client for the ingest endpoint, as a sender would use it. */
final class IngestClient {

    record Reply(int status, String body, String retryAfter) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    private final HttpClient http;
    private final String base;

    IngestClient(String base, SSLContext tls) {
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1);
        this.http = (tls == null ? b : b.sslContext(tls)).build();
        this.base = base;
    }

    Reply post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                resp.statusCode(),
                resp.body(),
                resp.headers().firstValue("Retry-After").orElse(null));
    }

    Reply post(String path, String body, String... headers) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply firehose(String key, String requestId, String body) throws IOException, InterruptedException {
        return post(
                "/firehose",
                body,
                "X-Amz-Firehose-Access-Key",
                key,
                "X-Amz-Firehose-Request-Id",
                requestId,
                "X-Amz-Firehose-Protocol-Version",
                "1.0",
                "Content-Type",
                "application/json");
    }
}
