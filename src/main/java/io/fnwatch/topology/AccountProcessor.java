package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.AccountConcurrency;
import io.fnwatch.detect.ConcurrencyModel;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.Emitter;
import io.fnwatch.model.Alert;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.FunctionKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The account aggregation of concurrency: sums the functions' closed slices ({@link ConcurrencySlice}, read back
 * from the {@code concurrency-by-account} repartition topic, keyed {@code tenant|provider|account|region}) per
 * account and judges them against the account's limit ({@link AccountConcurrency}). Its clock is the largest
 * {@code closedAt} received, stored with the accounts under {@link #CLOCK}, so a restarted task judges at the same
 * records; each time it enters a new minute, every account of the task is closed up to it (accounts are
 * few: one pass), so an account whose functions all went quiet still resolves, and idle accounts are dropped.
 */
final class AccountProcessor extends ContextualProcessor<String, ConcurrencySlice, String, Alert> {

    static final String STORE = "concurrency-accounts-store";
    /** Sorts after every account key ({@code tenant|...}). */
    static final String CLOCK = "\uffffclock";

    /** How often (event time) every account of the task is closed: once a minute, a slice by default. */
    private static final long SLOT = 60_000L;

    private final DetectorConfig detectors;
    private final PipelineMeters meters;
    private final Outputs outputs;
    private final List<Alert> alerts = new ArrayList<>();
    private KeyValueStore<String, byte[]> store;
    private long clock = Long.MIN_VALUE;

    AccountProcessor(DetectorConfig detectors, PipelineMeters meters, Outputs outputs) {
        this.detectors = detectors;
        this.meters = meters;
        this.outputs = outputs;
    }

    /**
     * Cached: a busy account gets a slice from each of its functions every minute, and each rewrites the account's
     * whole aggregation (about 1 KB). Kafka's record cache keeps the last one and writes it to RocksDB and the
     * changelog once per commit; uncached, those writes were a quarter of {@code bench throughput}'s time.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> builder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        super.init(context);
        store = context.getStateStore(STORE);
        clock = storedClock();
    }

    private long storedClock() {
        byte[] c = store.get(CLOCK);
        return c == null ? Long.MIN_VALUE : ByteBuffer.wrap(c).getLong();
    }

    @Override
    public void process(Record<String, ConcurrencySlice> r) {
        ConcurrencySlice slice = r.value();
        meters.recordIn(outputs.accounts());
        if (r.key() == null || slice == null || r.key().equals(CLOCK)) {
            return;
        }
        ConcurrencyModel.Settings s = settings(slice.tenant(), slice.provider(), slice.account(), slice.region());
        if (s == null) {
            return; // the detector is disabled
        }
        if (clock == Long.MIN_VALUE) {
            clock = storedClock(); // restored after init (a store filled from its changelog late)
        }
        long previous = clock;
        clock = Math.max(clock, slice.closedAt());
        if (clock != previous) {
            store.put(CLOCK, ByteBuffer.allocate(8).putLong(clock).array());
            if (previous == Long.MIN_VALUE || Math.floorDiv(clock, SLOT) > Math.floorDiv(previous, SLOT)) {
                closeAll();
            }
        }
        try {
            byte[] bytes = store.get(r.key());
            AccountConcurrency a = bytes == null ? new AccountConcurrency() : AccountConcurrency.fromBytes(bytes);
            alerts.clear();
            Emitter out = new Emitter(
                    new FunctionKey(slice.tenant(), slice.provider(), slice.account(), slice.region(), "*"), alerts);
            a.close(clock, s, out);
            if (!a.add(slice, s, grace(slice), clock, out)) {
                meters.sliceDropped();
            }
            store.put(r.key(), a.toBytes());
            forward(out.key());
        } catch (RuntimeException unreadable) {
            store.delete(r.key()); // relearned from the next slices: an aggregation, not a history
        }
    }

    /** Closes every account of the task up to the clock, and drops those with nothing left to judge. */
    private void closeAll() {
        List<String> idle = new ArrayList<>();
        List<KeyValue<String, byte[]>> changed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                if (kv.key.equals(CLOCK)) {
                    continue;
                }
                try {
                    AccountConcurrency a = AccountConcurrency.fromBytes(kv.value);
                    FunctionKey key = a.key();
                    ConcurrencyModel.Settings s = settings(key.tenant(), key.provider(), key.account(), key.region());
                    if (s == null) {
                        idle.add(kv.key);
                        continue;
                    }
                    alerts.clear();
                    a.close(clock, s, new Emitter(key, alerts));
                    forward(key);
                    if (a.idle(clock, s, detectors.forFunction(key).lateGraceMs())) {
                        idle.add(kv.key);
                    } else {
                        changed.add(KeyValue.pair(kv.key, a.toBytes()));
                    }
                } catch (RuntimeException unreadable) {
                    idle.add(kv.key);
                }
            }
        }
        changed.forEach(kv -> store.put(kv.key, kv.value));
        idle.forEach(store::delete);
    }

    private void forward(FunctionKey key) {
        for (Alert a : alerts) {
            meters.alert(a.type(), a.severity());
            meters.recordOut(outputs.alerts());
            context().forward(new Record<>(key.asString(), a, a.detectedAt().toEpochMilli()));
        }
    }

    private ConcurrencyModel.Settings settings(String tenant, String provider, String account, String region) {
        DetectorSettings all = detectors.forFunction(new FunctionKey(tenant, provider, account, region, "*"));
        return all.of(ConcurrencyModel.SPEC);
    }

    private long grace(ConcurrencySlice slice) {
        return detectors
                .forFunction(new FunctionKey(slice.tenant(), slice.provider(), slice.account(), slice.region(), "*"))
                .lateGraceMs();
    }
}
