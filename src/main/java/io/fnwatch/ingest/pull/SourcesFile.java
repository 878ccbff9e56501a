package io.fnwatch.ingest.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fnwatch.model.Json;
import io.fnwatch.model.Tenants;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources of a puller: the names listed in a plain setting (default tenant, any account) and the entries of a
 * sources file, {@code subscriptions: [{subscription, tenant, projects}]} for Pub/Sub or
 * {@code hubs: [{hub, tenant, subscriptions}]} for Event Hubs, as YAML or JSON. A name given twice is an error:
 * its logs would go to two tenants.
 */
public final class SourcesFile {

    /** An entry of either file; a misspelt field is an error. */
    record Entry(String subscription, String hub, String tenant, List<String> projects, List<String> subscriptions) {}

    private static final ObjectReader ENTRY = Json.strict(Json.YAML);

    private SourcesFile() {}

    /**
     * @param kind {@code pubsub} or {@code eventhubs}
     * @param listed names from the plain setting
     * @param file the sources file, or empty
     */
    public static List<PullSource> read(
            String kind, List<String> listed, String file, String defaultTenant, List<String> problems) {
        Map<String, PullSource> out = new LinkedHashMap<>();
        for (String name : listed) {
            add(out, new PullSource(kind, name.trim(), defaultTenant, List.of()), problems);
        }
        if (!file.isEmpty()) {
            boolean pubsub = kind.equals("pubsub");
            String listName = pubsub ? "subscriptions" : "hubs";
            try {
                JsonNode root = Json.YAML.readTree(Path.of(file).toFile());
                JsonNode list = root == null ? null : root.isArray() ? root : root.get(listName);
                if (list == null || !list.isArray() || list.isEmpty()) {
                    problems.add(file + ": no " + listName + " listed");
                } else {
                    for (JsonNode n : list) {
                        Entry e = ENTRY.treeToValue(n, Entry.class);
                        String name = pubsub ? e.subscription() : e.hub();
                        List<String> accounts = pubsub ? e.projects() : e.subscriptions();
                        String tenant = e.tenant() == null ? defaultTenant : e.tenant();
                        if (name == null || name.isBlank()) {
                            problems.add(file + ": each entry needs " + (pubsub ? "a subscription" : "a hub"));
                        } else if (!Tenants.isValid(tenant)) {
                            problems.add(file + ": tenant must be " + Tenants.RULE + ": " + tenant);
                        } else {
                            add(out, new PullSource(kind, name.trim(), tenant, accounts), problems);
                        }
                    }
                }
            } catch (IOException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        if (pubsubKind(kind)) {
            out.keySet().stream()
                    .filter(n -> !n.matches("projects/[^/]+/subscriptions/[^/]+"))
                    .forEach(n ->
                            problems.add("Pub/Sub subscription must be projects/PROJECT/subscriptions/NAME: " + n));
        }
        return new ArrayList<>(out.values());
    }

    private static boolean pubsubKind(String kind) {
        return kind.equals("pubsub");
    }

    private static void add(Map<String, PullSource> out, PullSource s, List<String> problems) {
        if (s.name().isEmpty()) {
            return;
        }
        if (out.putIfAbsent(s.name(), s) != null) {
            problems.add(s.kind() + " source listed twice: " + s.name());
        }
    }
}
