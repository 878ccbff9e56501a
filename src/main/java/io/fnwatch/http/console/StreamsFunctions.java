package io.fnwatch.http.console;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.FunctionStatus;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.topology.FnwatchTopology;
import io.fnwatch.topology.MinuteHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Reads a function's status and history through Kafka Streams' interactive queries, from this instance's stores
 * when it holds the function, else from the instance that does ({@code /functions/{key}} and
 * {@code /ui/internal/history/{key}} there, with the caller's key, once: a forwarded request is not forwarded
 * again). The history and the state are in the same task, so one lookup finds both.
 */
final class StreamsFunctions implements FunctionReader {

    static final String FORWARDED = "X-Fnwatch-Forwarded";

    private final KafkaStreams streams;
    private final DetectorConfig detectors;
    private final HostInfo self;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    StreamsFunctions(KafkaStreams streams, DetectorConfig detectors, HostInfo self) {
        this.streams = streams;
        this.detectors = detectors;
        this.self = self;
    }

    private KeyQueryMetadata where(FunctionKey key) throws Unavailable {
        KeyQueryMetadata where = streams.queryMetadataForKey(
                FnwatchTopology.STATE_STORE, key.asString(), Serdes.String().serializer());
        if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where)) {
            throw new Unavailable("the function's state is not hosted anywhere right now (rebalancing?)");
        }
        return where;
    }

    private boolean local(KeyQueryMetadata where) {
        return self == null || where.activeHost().equals(self);
    }

    @Override
    public Map<String, Object> status(FunctionKey key, String token) throws Unavailable {
        KeyQueryMetadata where = where(key);
        if (!local(where)) {
            byte[] body = forward(where.activeHost(), "/functions/" + encode(key), token);
            return body == null ? null : HistoryJson.json(body, new TypeReference<Map<String, Object>>() {});
        }
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                            FnwatchTopology.STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(where.partition()));
            byte[] bytes = store.get(key.asString());
            return bytes == null
                    ? null
                    : FunctionStatus.of(key, FunctionState.fromBytes(bytes), detectors.forFunction(key));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the function's state is being restored or moved; retry shortly");
        }
    }

    @Override
    public List<MinuteSummary> history(FunctionKey key, long from, long to, String token) throws Unavailable {
        KeyQueryMetadata where = where(key);
        if (!local(where)) {
            byte[] body = forward(
                    where.activeHost(),
                    ConsoleHandler.INTERNAL_HISTORY + encode(key) + "?from=" + from + "&to=" + to,
                    token);
            return body == null ? List.of() : HistoryJson.read(body);
        }
        return localHistory(key, from, to, where.partition());
    }

    /** This instance's minutes of {@code key} (for a forwarded request). */
    List<MinuteSummary> localHistory(FunctionKey key, long from, long to) throws Unavailable {
        KeyQueryMetadata where = where(key);
        if (!local(where)) {
            throw new Unavailable("forwarded here, but the function's state moved on");
        }
        return localHistory(key, from, to, where.partition());
    }

    private List<MinuteSummary> localHistory(FunctionKey key, long from, long to, int partition) throws Unavailable {
        try {
            ReadOnlyWindowStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                            FnwatchTopology.HISTORY_STORE, QueryableStoreTypes.<String, byte[]>windowStore())
                    .withPartition(partition));
            ReadOnlyKeyValueStore<String, byte[]> states = streams.store(StoreQueryParameters.fromNameAndType(
                            FnwatchTopology.STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            // the minutes not in the history store yet wait in the function's state
            return MinuteHistory.read(store, key.asString(), states.get(key.asString()), from, to);
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the function's history is being restored or moved; retry shortly");
        } catch (IllegalArgumentException | UncheckedIOException unreadable) {
            throw new Unavailable("the function's history could not be read: " + unreadable.getMessage());
        }
    }

    private byte[] forward(HostInfo owner, String pathAndQuery, String token) throws Unavailable {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .header(FORWARDED, "1")
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw new Unavailable("the instance holding the function answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new Unavailable("the instance holding the function did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    private static String encode(FunctionKey key) {
        return URLEncoder.encode(key.asString(), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
