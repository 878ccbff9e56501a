package io.fnwatch.ingest.http;

import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.ingest.TokenBuckets;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Tenants;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.TenantTopics;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What every ingest request goes through, in order: the key (401), its rate and its requests in progress (429),
 * all from the headers; then the body within its limits (413, 415), the records and the accounts they name
 * (400, 403), then Kafka (503) — and a Firehose request id already delivered is answered without writing
 * again. Nothing is written unless every check passed.
 */
final class IngestService {

    /** {@code firehoseSourceArn}: Firehose's {@code X-Amz-Firehose-Source-Arn} header, else null. */
    record Request(
            Endpoint endpoint,
            String key,
            InputStream body,
            long length,
            String encoding,
            String firehoseRequestId,
            String firehoseSourceArn) {}

    record Accepted(int records, String requestId, boolean duplicate) {}

    private final KeysStore keys;
    private final TokenBuckets rates;
    private final BodyReader reader;
    private final Payloads payloads;
    private final RawTopicWriter writer;
    private final FirehoseRequestIds firehoseIds;
    private final TenantTopics topics;
    private final ConcurrentRequests concurrent;
    private final ThreadLocal<LogParser> parsers;
    private final MeterRegistry meters;

    IngestService(HttpIngestSettings s, KeysStore keys, RawTopicWriter writer, MeterRegistry meters) {
        this.keys = keys;
        this.rates = new TokenBuckets(s.ratePerSecond(), s.rateBurst(), io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME);
        this.reader = new BodyReader(s.maxBodyBytes(), s.maxDecompressedBytes());
        this.payloads = new Payloads(s.maxRecords(), s.parser(), reader);
        this.writer = writer;
        this.firehoseIds = new FirehoseRequestIds(s.dedupeIds(), s.dedupeTtlMs(), System::currentTimeMillis);
        this.topics = new TenantTopics(s.rawTopic(), s.parser().defaultTenant());
        this.concurrent = new ConcurrentRequests(s.maxConcurrentPerKey());
        this.parsers = ThreadLocal.withInitial(() -> new LogParser(s.parser()));
        this.meters = meters;
    }

    Accepted ingest(Request r) throws IngestProblem, IOException {
        TenantKey key = authenticate(r.key());
        admit(key);
        // the key is known from the headers alone: a key over its share of threads is refused before reading
        try (ConcurrentRequests.Permit permit = concurrent.acquire(key.id())) {
            return ingest(key, r);
        }
    }

    private Accepted ingest(TenantKey key, Request r) throws IngestProblem, IOException {
        byte[] body = reader.read(r.body(), r.length(), r.encoding());
        Payloads.Split split = payloads.split(r.endpoint(), body);
        String requestId = r.firehoseRequestId() != null ? r.firehoseRequestId() : split.requestId();
        FirehoseRequestIds.checkLength(requestId);
        List<ProducerRecord<String, byte[]>> records =
                inspect(key, split.records(), RequestHints.of(r.firehoseSourceArn(), key));
        if (r.endpoint() != Endpoint.FIREHOSE) {
            writer.writeAll(records);
            count(r.endpoint(), key, records.size());
            return new Accepted(records.size(), requestId, false);
        }
        return writeOnce(r.endpoint(), key, requestId, records);
    }

    private TenantKey authenticate(String presented) throws IngestProblem {
        KeysStore.Result auth = keys.authenticate(presented);
        return switch (auth.outcome()) {
            case ACCEPTED -> auth.key();
            case MISSING -> throw new IngestProblem(401, "key_missing", "an ingest key is required");
            case UNKNOWN -> throw new IngestProblem(401, "key_invalid", "invalid or revoked ingest key");
            case REVOKED -> throw new IngestProblem(401, "key_revoked", "invalid or revoked ingest key");
        };
    }

    private void admit(TenantKey key) throws IngestProblem {
        ConsumptionProbe probe = rates.bucket(key.id()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new IngestProblem(429, "rate", "key " + key.id() + " is over its rate", seconds);
        }
    }

    /** Parses each record as the service will, to key it and to check every account it names. */
    private List<ProducerRecord<String, byte[]>> inspect(TenantKey key, List<byte[]> raw, SourceHints hints)
            throws IngestProblem {
        if (!Tenants.isValid(key.tenant())) {
            throw new IngestProblem(403, "tenant", "key " + key.id() + " has a tenant that cannot name a raw topic");
        }
        String topic = topics.topicOf(key.tenant());
        LogParser parser = parsers.get();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(raw.size());
        for (byte[] value : raw) {
            ParseResult parsed = parser.parse(value, key.tenant(), hints);
            for (FunctionEvent e : parsed.events()) {
                if (!key.mayUseAccount(e.account())) {
                    meters.counter("fnwatch.ingest.account.rejections", "tenant", key.tenant(), "key", key.id())
                            .increment();
                    throw new IngestProblem(
                            403, "account", "key " + key.id() + " may not send logs of account " + e.account());
                }
            }
            // the key's tenant's raw topic is what makes these the tenant's logs
            // the hints go with the record, so the service's parse gives its events this key
            out.add(RawRecords.of(topic, value, parsed, hints));
        }
        return out;
    }

    private Accepted writeOnce(
            Endpoint endpoint, TenantKey key, String requestId, List<ProducerRecord<String, byte[]>> records)
            throws IngestProblem {
        // ids are per tenant: one tenant's ids can never suppress another's records
        FirehoseRequestIds.Claim claim = firehoseIds.claim(key.tenant(), requestId);
        if (claim == FirehoseRequestIds.Claim.DELIVERED) {
            meters.counter("fnwatch.ingest.duplicates", "tenant", key.tenant()).increment();
            return new Accepted(0, requestId, true);
        }
        if (claim == FirehoseRequestIds.Claim.IN_FLIGHT) {
            throw new IngestProblem(503, "in_flight", "request " + requestId + " is being written", 1);
        }
        boolean written = false;
        try {
            writer.writeAll(records);
            written = true;
        } finally {
            if (written) {
                firehoseIds.delivered(key.tenant(), requestId);
            } else {
                firehoseIds.failed(key.tenant(), requestId);
            }
        }
        count(endpoint, key, records.size());
        return new Accepted(records.size(), requestId, false);
    }

    private void count(Endpoint endpoint, TenantKey key, int records) {
        meters.counter("fnwatch.ingest.records", "endpoint", endpoint.tag(), "tenant", key.tenant())
                .increment(records);
    }
}
