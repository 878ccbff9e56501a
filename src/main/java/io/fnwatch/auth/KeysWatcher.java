package io.fnwatch.auth;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import io.fnwatch.config.OpsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys files of a running service: {@code ops.keys.file} for {@code /functions} and
 * {@code ingest.http.keys.file} for HTTP ingest (when its port is on). A path is opened once, so when both
 * settings name one file (the usual set-up) both read the same {@link KeysStore}; every store is reloaded each
 * {@code ingest.http.keys.reload.ms} on one daemon thread.
 */
public final class KeysWatcher implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeysWatcher.class);

    private final Map<Path, KeysStore> stores;
    private final KeysStore functions;
    private final KeysStore ingest;
    private final ScheduledExecutorService thread;

    private KeysWatcher(Map<Path, KeysStore> stores, KeysStore functions, KeysStore ingest, long reloadMs) {
        this.stores = stores;
        this.functions = functions;
        this.ingest = ingest;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fnwatch-keys");
            t.setDaemon(true);
            return t;
        });
        if (!stores.isEmpty()) {
            thread.scheduleWithFixedDelay(this::reload, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens every configured keys file; a missing or invalid one is a configuration error (exit 2). */
    public static KeysWatcher open(FnwatchConfig c) {
        List<String> problems = new ArrayList<>();
        Map<Path, KeysStore> stores = new LinkedHashMap<>();
        KeysStore functions = store(c, OpsSettings.KEYS_FILE, stores, problems);
        KeysStore ingest = c.integer(HttpIngestConfig.PORT) >= 0
                ? store(c, HttpIngestConfig.KEYS_FILE, stores, problems)
                : KeysStore.none();
        ConfigErrors.throwIfAny(problems);
        return new KeysWatcher(stores, functions, ingest, c.longValue(HttpIngestConfig.KEYS_RELOAD_MS));
    }

    private static KeysStore store(
            FnwatchConfig c, String setting, Map<Path, KeysStore> stores, List<String> problems) {
        String name = c.string(setting);
        if (name.isEmpty()) {
            return KeysStore.none();
        }
        Path file = Path.of(name).toAbsolutePath().normalize();
        KeysStore known = stores.get(file);
        if (known != null) {
            return known;
        }
        try {
            KeysStore s = KeysStore.open(Path.of(name), Clock.systemUTC());
            stores.put(file, s);
            return s;
        } catch (IOException | RuntimeException e) {
            problems.add(setting + ": cannot load the keys file: "
                    + Objects.requireNonNullElse(e.getMessage(), e.toString()));
            return KeysStore.none();
        }
    }

    /** The keys {@code /functions} accepts; refuses everyone when no file is configured. */
    public KeysStore functions() {
        return functions;
    }

    /** The keys HTTP ingest accepts; refuses everyone when the endpoint is off or has no file. */
    public KeysStore ingest() {
        return ingest;
    }

    /** One status per keys file, for {@code /readyz}. */
    public List<KeysStore.Status> statuses() {
        return stores.values().stream().map(KeysStore::status).toList();
    }

    /** Reloads every file now (also what the timer does); for tests that must not wait for the timer. */
    public void reload() {
        for (KeysStore s : stores.values()) {
            try {
                s.reload();
            } catch (RuntimeException e) {
                // the timer would stop for good on an exception: keep watching, and say why
                LOG.error("reloading keys file {} failed", s.file(), e);
            }
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        stores.values().forEach(s -> s.bindTo(registry));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
