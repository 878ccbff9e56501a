package io.fnwatch.cli;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Tenants;
import io.fnwatch.serde.TenantTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where the config comes from and the Kafka to talk to. */
final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with fnwatch settings.")
    Path configFile;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka to use (default: the embedded broker).")
    String bootstrapServers;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    FnwatchConfig load(Map<String, String> commandDefaults) {
        Map<String, String> overrides = new LinkedHashMap<>(commandDefaults);
        overrides.putAll(settings);
        if (bootstrapServers != null) {
            overrides.put(FnwatchConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        return FnwatchConfig.load(configFile, System.getenv(), overrides);
    }

    /** Detector settings from {@code detectors.dir}; the built-in defaults when the default folder is absent. */
    /** {@code --tenant}'s value, checked (it names a topic), or {@code tenant.default} when it was not given. */
    static String tenant(String tenant, FnwatchConfig c) {
        if (tenant != null && !Tenants.isValid(tenant)) {
            throw new ConfigErrors(
                    List.of("--tenant: a tenant is " + Tenants.RULE + " (it names its topics): " + tenant));
        }
        return tenant == null ? TenantTopics.from(c).defaultTenant() : tenant;
    }

    static DetectorConfig detectors(FnwatchConfig c) {
        Path dir = Path.of(c.string(FnwatchConfig.DETECTORS_DIR));
        boolean useBuiltIn = !Files.isDirectory(dir) && "detectors".equals(c.string(FnwatchConfig.DETECTORS_DIR));
        if (!useBuiltIn && !Files.isDirectory(dir)) {
            throw new ConfigErrors(List.of(FnwatchConfig.DETECTORS_DIR + ": no such folder: " + dir));
        }
        return DetectorConfig.load(useBuiltIn ? null : dir, c.longValue(FnwatchConfig.LATE_GRACE_MS));
    }

    /** For clients of a running instance: an empty bootstrap means the embedded broker's port. */
    FnwatchConfig loadClient() {
        FnwatchConfig c = load(Map.of());
        if (c.string(FnwatchConfig.BOOTSTRAP_SERVERS).isEmpty() && c.integer(FnwatchConfig.EMBEDDED_PORT) == 0) {
            throw new ConfigErrors(List.of(FnwatchConfig.BOOTSTRAP_SERVERS + ": the service picked a free port "
                    + "(embedded.port=0); pass --bootstrap-servers with the address it printed"));
        }
        if (c.string(FnwatchConfig.BOOTSTRAP_SERVERS).isEmpty()) {
            return c.with(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + c.integer(FnwatchConfig.EMBEDDED_PORT));
        }
        return c;
    }
}
