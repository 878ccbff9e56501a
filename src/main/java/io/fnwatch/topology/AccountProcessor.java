package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.AccountConcurrency;
import io.fnwatch.detect.ConcurrencyModel;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.Emitter;
import io.fnwatch.model.Alert;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.FunctionKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The account aggregation of concurrency: sums the functions' closed slices ({@link ConcurrencySlice}, read back
 * from the {@code concurrency-by-account} repartition topic, keyed {@code tenant|provider|account|region}) per
 * account and judges them against the account's limit ({@link AccountConcurrency}). Its clock is the largest
 * {@code closedAt} received, stored with the accounts ({@link AccountStore#CLOCK}), so a restarted task judges at the same
 * records; each time it enters a new minute, every account of the task is closed up to it (accounts are
 * few: one pass), so an account whose functions all went quiet still resolves, and idle accounts are dropped.
 */
final class AccountProcessor extends ContextualProcessor<String, ConcurrencySlice, String, Alert> {

    static final String STORE = "concurrency-accounts-store";

    /** How often (event time) every account of the task is closed: once a minute, a slice by default. */
    private static final long SLOT = 60_000L;

    private final DetectorConfig detectors;
    private final PipelineMeters meters;
    private final PipelineMeters.Local counts;
    private final Outputs outputs;
    private final List<Alert> alerts = new ArrayList<>();
    private AccountStore store;

    AccountProcessor(DetectorConfig detectors, PipelineMeters meters, Outputs outputs) {
        this.detectors = detectors;
        this.meters = meters;
        this.counts = meters.local();
        this.outputs = outputs;
    }

    /**
     * Written back: a busy account gets a slice from each of its functions every minute, and each changes the
     * account's whole aggregation (about 1 KB); it is serialised and written to RocksDB and the changelog once per
     * commit ({@link AccountStore}), not read and written as bytes per slice.
     */
    static StoreBuilder<AccountStore> builder() {
        return AccountStore.builder(STORE);
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        super.init(context);
        store = context.getStateStore(STORE);
        context.schedule(PipelineMeters.FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> counts.flush());
    }

    @Override
    public void close() {
        counts.flush();
    }

    @Override
    public void process(Record<String, ConcurrencySlice> r) {
        ConcurrencySlice slice = r.value();
        counts.recordIn(outputs.accounts());
        if (r.key() == null || slice == null || r.key().equals(AccountStore.CLOCK)) {
            return;
        }
        ConcurrencyModel.Settings s = settings(slice.tenant(), slice.provider(), slice.account(), slice.region());
        if (s == null) {
            return; // the detector is disabled
        }
        long previous = store.clock(); // read after a restore, so from the restored changelog
        long clock = Math.max(previous, slice.closedAt());
        if (clock != previous) {
            store.clock(clock);
            if (previous == Long.MIN_VALUE || Math.floorDiv(clock, SLOT) > Math.floorDiv(previous, SLOT)) {
                closeAll(clock);
            }
        }
        try {
            AccountConcurrency a = store.live(r.key());
            alerts.clear();
            Emitter out = new Emitter(
                    new FunctionKey(slice.tenant(), slice.provider(), slice.account(), slice.region(), "*"), alerts);
            a.close(clock, s, out);
            if (!a.add(slice, s, grace(slice), clock, out)) {
                meters.sliceDropped();
            }
            store.changed(r.key());
            forward(out.key());
        } catch (RuntimeException unreadable) {
            store.delete(r.key()); // relearned from the next slices: an aggregation, not a history
        }
    }

    /** Closes every account of the task up to the clock, and drops those with nothing left to judge. */
    private void closeAll(long clock) {
        for (String account : store.accounts()) {
            try {
                AccountConcurrency a = store.live(account);
                FunctionKey key = a.key();
                ConcurrencyModel.Settings s = settings(key.tenant(), key.provider(), key.account(), key.region());
                if (s == null) {
                    store.delete(account);
                    continue;
                }
                alerts.clear();
                a.close(clock, s, new Emitter(key, alerts));
                forward(key);
                if (a.idle(clock, s, detectors.forFunction(key).lateGraceMs())) {
                    store.delete(account);
                } else {
                    store.changed(account);
                }
            } catch (RuntimeException unreadable) {
                store.delete(account);
            }
        }
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
