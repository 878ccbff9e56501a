package io.fnwatch.ingest.http;

import static io.fnwatch.ingest.http.SamplePayloads.ACCOUNT;
import static io.fnwatch.ingest.http.SamplePayloads.T0;
import static io.fnwatch.ingest.http.SamplePayloads.cloudWatchLine;
import static io.fnwatch.ingest.http.SamplePayloads.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every sender format, and TLS with either kind of key material, against the real embedded broker. */
class HttpIngestFormatsIT extends HttpIngestFixture {

    private static final String PASSWORD = "test-only-password";

    private static String firstLine(String file) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(Path.of(file))) {
            return r.readLine();
        }
    }

    private IngestClient.Reply post(String path, byte[] body) throws Exception {
        return client.post(path, body, "Authorization", "Bearer " + KEY_ACME_2);
    }

    @Test
    void shouldAcceptEveryFormatAndGiveEachRecordTheKeysTenant() throws Exception {
        start(Map.of());
        String sub = subscription(ACCOUNT, "orders-api", T0);
        String awslogs = "{\"awslogs\":{\"data\":\""
                + Base64.getEncoder().encodeToString(SamplePayloads.gzip(sub.getBytes(StandardCharsets.UTF_8)))
                + "\"}}";
        String pubsub = "{\"message\":{\"data\":\""
                + Base64.getEncoder()
                        .encodeToString(firstLine("sample-logs/gcp/cloud-functions.jsonl")
                                .getBytes(StandardCharsets.UTF_8))
                + "\",\"messageId\":\"42\"},\"subscription\":\"projects/acme-prod/subscriptions/fnwatch\"}";
        String azure = "{\"records\":["
                + firstLine("sample-logs/azure/function-app-logs.jsonl")
                        .replaceFirst("^\\{\"records\":\\[", "")
                        .replaceFirst("]}$", "")
                + "]}";

        List<IngestClient.Reply> replies = List.of(
                post(
                        "/ndjson",
                        (cloudWatchLine(ACCOUNT, "a", T0) + "\n" + cloudWatchLine(ACCOUNT, "b", T0) + "\n")
                                .getBytes(StandardCharsets.UTF_8)),
                post("/cloudwatch", SamplePayloads.gzip(sub.getBytes(StandardCharsets.UTF_8))),
                post("/cloudwatch", awslogs.getBytes(StandardCharsets.UTF_8)),
                client.post("/pubsub?token=" + KEY_ACME_2, pubsub),
                post("/azure", azure.getBytes(StandardCharsets.UTF_8)));

        assertThat(replies).extracting(IngestClient.Reply::status).containsOnly(200);
        int azureRecords = replies.get(4).json().get("accepted").asInt();
        assertThat(replies.subList(0, 4))
                .extracting(r -> r.json().get("accepted").asInt())
                .containsExactly(2, 1, 1, 1);
        List<ConsumerRecord<String, byte[]>> raw = raw();
        assertThat(raw).hasSize(5 + azureRecords);
        assertThat(raw).extracting(this::tenantOf).containsOnly("acme");
        assertThat(raw)
                .extracting(ConsumerRecord::key)
                .allMatch(k -> k.startsWith("acme/"))
                .contains("acme/aws/" + ACCOUNT + "/-/a", "acme/aws/" + ACCOUNT + "/-/orders-api");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs12", "pem"})
    void shouldServeHttpsWhenGivenAKeyStoreOrPemFiles(String material) throws Exception {
        Path store = keyStore();
        Map<String, String> tls = "pkcs12".equals(material)
                ? Map.of("ingest.http.tls.keystore", store.toString(), "ingest.http.tls.keystore.password", PASSWORD)
                : pemFiles(store);
        start(tls);
        IngestClient https = new IngestClient("https://127.0.0.1:" + port, trusting(store));

        IngestClient.Reply reply =
                https.post("/ndjson", cloudWatchLine(ACCOUNT, "tls-fn", T0), "Authorization", "Bearer " + KEY_ACME);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(raw()).extracting(ConsumerRecord::key).containsExactly("acme/aws/" + ACCOUNT + "/-/tls-fn");
    }

    /** A self-signed EC key pair for 127.0.0.1, made with the JDK's own keytool. */
    private Path keyStore() throws Exception {
        Path store = dir.resolve("server.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "fnwatch",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return store;
    }

    private Map<String, String> pemFiles(Path store) throws Exception {
        KeyStore ks = load(store);
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Files.writeString(
                cert,
                "-----BEGIN CERTIFICATE-----\n"
                        + b64.encodeToString(ks.getCertificate("fnwatch").getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + b64.encodeToString(
                                ks.getKey("fnwatch", PASSWORD.toCharArray()).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return Map.of("ingest.http.tls.cert.pem", cert.toString(), "ingest.http.tls.key.pem", key.toString());
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static SSLContext trusting(Path store) throws Exception {
        Certificate cert = load(store).getCertificate("fnwatch");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
