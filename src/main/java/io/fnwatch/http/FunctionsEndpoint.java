package io.fnwatch.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.FunctionStatus;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.topology.FnwatchTopology;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /functions/{key}} ({@code key} = URL-encoded {@code tenant/provider/account/region/function}):
 * the function's status from the detectors' state store, for a caller whose bearer key belongs to the
 * function's tenant and may use its account (the key's {@code accounts}, as on ingest). A missing, unknown
 * or revoked key gets 401; a key of another tenant or account gets 403, decided from the key and the URL
 * alone before the store is asked, so a refusal never tells whether the function exists. Kafka Streams tells
 * which instance hosts the key; another instance's answer is fetched from its {@code application.server}
 * once (a forwarded request is never forwarded again, so no loops). A missing or wrong key counts as a failed
 * authentication of the client's address ({@link OpsLimits}): too many, and its keys are refused with 429.
 */
public final class FunctionsEndpoint implements HttpHandler {

    public static final String PATH = "/functions/";
    static final String FORWARDED = "X-Fnwatch-Forwarded";

    private final KafkaStreams streams;
    private final DetectorConfig detectors;
    private final KeysStore keys;
    private final HostInfo self;
    private final OpsLimits limits;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public FunctionsEndpoint(KafkaStreams streams, DetectorConfig detectors, KeysStore keys, HostInfo self) {
        this(streams, detectors, keys, self, OpsLimits.defaults());
    }

    /** {@code limits}: failed authentications are counted per client address, as at the console's sign-in. */
    public FunctionsEndpoint(
            KafkaStreams streams, DetectorConfig detectors, KeysStore keys, HostInfo self, OpsLimits limits) {
        this.limits = limits;
        this.streams = streams;
        this.detectors = detectors;
        this.keys = keys;
        this.self = self;
    }

    @Override
    public void handle(HttpExchange x) throws IOException {
        if (!Http.isRead(x)) {
            return;
        }
        String raw = x.getRequestURI().getRawPath().substring(PATH.length());
        FunctionKey key;
        try {
            key = FunctionKey.parse(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            Http.json(x, 400, error("expected /functions/{tenant/provider/account/region/function}, URL-encoded"));
            return;
        }
        String client = limits.client(x);
        long wait = limits.authenticationWait(client);
        if (wait > 0) {
            x.getResponseHeaders().set("Retry-After", String.valueOf(wait));
            Http.json(x, 429, error("too many failed authentications from this address; retry later"));
            return;
        }
        String token = bearer(x);
        KeysStore.Result auth = keys.authenticate(token);
        TenantKey caller = auth.key();
        if (auth.outcome() != KeysStore.Outcome.ACCEPTED) {
            limits.authenticationFailed(client);
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            Http.json(x, 401, error("a valid tenant key is required (Authorization: Bearer <key>)"));
        } else if (!caller.tenant().equals(key.tenant())) {
            Http.json(x, 403, error("this key does not belong to the function's tenant"));
        } else if (!caller.mayRead(key)) {
            Http.json(x, 403, error("this key may not read the function's account"));
        } else {
            answer(x, key, raw, token);
        }
    }

    private void answer(HttpExchange x, FunctionKey key, String raw, String token) throws IOException {
        KeyQueryMetadata where = streams.queryMetadataForKey(
                FnwatchTopology.STATE_STORE, key.asString(), Serdes.String().serializer());
        if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where)) {
            unavailable(x, "the function's state is not hosted anywhere right now (rebalancing?)");
        } else if (where.activeHost().equals(self)) {
            local(x, key, where.partition());
        } else if (x.getRequestHeaders().containsKey(FORWARDED)) {
            unavailable(x, "forwarded here, but the function's state moved on");
        } else {
            forward(x, where.activeHost(), raw, token);
        }
    }

    private void local(HttpExchange x, FunctionKey key, int partition) throws IOException {
        byte[] bytes;
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                            FnwatchTopology.STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            bytes = store.get(key.asString());
        } catch (InvalidStateStoreException e) {
            unavailable(x, "the function's state is being restored or moved; retry shortly");
            return;
        }
        if (bytes == null) {
            Http.json(x, 404, error("no such function"));
            return;
        }
        Map<String, Object> body =
                new LinkedHashMap<>(FunctionStatus.of(key, FunctionState.fromBytes(bytes), detectors.forFunction(key)));
        body.put("servedBy", self.host() + ":" + self.port());
        Http.json(x, 200, body);
    }

    private void forward(HttpExchange x, HostInfo owner, String raw, String token) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + PATH + raw))
                .header("Authorization", "Bearer " + token)
                .header(FORWARDED, "1")
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Http.send(x, r.statusCode(), r.headers().firstValue("Content-Type").orElse(Http.JSON), r.body());
        } catch (IOException e) {
            unavailable(x, "the instance holding the function did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(x, "interrupted");
        }
    }

    private static void unavailable(HttpExchange x, String why) throws IOException {
        x.getResponseHeaders().set("Retry-After", "5");
        Http.json(x, 503, error(why));
    }

    private static String bearer(HttpExchange x) {
        String h = x.getRequestHeaders().getFirst("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).trim()
                : null;
    }

    private static Map<String, String> error(String message) {
        return Map.of("error", message);
    }
}
