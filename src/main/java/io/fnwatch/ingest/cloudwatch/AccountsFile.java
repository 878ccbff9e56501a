package io.fnwatch.ingest.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fnwatch.model.Json;
import io.fnwatch.model.Tenants;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounts to watch: {@code accounts: [{account, tenant, roleArn, externalId, regions: [...]}]} as YAML or
 * JSON. Each account's tenant defaults to the default tenant, its regions to {@code cloudwatch.region}.
 */
final class AccountsFile {

    /** One entry as written in the file. */
    record Entry(String account, String tenant, String roleArn, String externalId, List<String> regions) {}

    /** YAML is a superset of JSON, so one mapper reads both; a misspelt field in an entry is an error. */
    private static final ObjectReader ENTRY = Json.strict(Json.YAML);

    private AccountsFile() {}

    static List<CloudWatchSource> read(Path file, String defaultRegion, String defaultTenant, List<String> problems) {
        List<CloudWatchSource> sources = new ArrayList<>();
        try {
            JsonNode root = Json.YAML.readTree(file.toFile());
            JsonNode list = root == null ? null : root.isArray() ? root : root.get("accounts");
            if (list == null || !list.isArray() || list.isEmpty()) {
                problems.add(file + ": no accounts listed");
                return sources;
            }
            for (JsonNode n : list) {
                Entry e = ENTRY.treeToValue(n, Entry.class);
                if (e.roleArn() == null && e.account() == null) {
                    problems.add(file + ": each account needs an account id or a roleArn");
                }
                if (e.tenant() != null && !Tenants.isValid(e.tenant())) {
                    // the tenant names the raw topic the account's logs are written to
                    problems.add(file + ": tenant must be " + Tenants.RULE + ": " + e.tenant());
                }
                List<String> regions =
                        e.regions() == null || e.regions().isEmpty() ? List.of(defaultRegion) : e.regions();
                for (String region : regions) {
                    sources.add(new CloudWatchSource(
                            e.account(),
                            e.tenant() == null ? defaultTenant : e.tenant(),
                            region,
                            e.roleArn(),
                            e.externalId()));
                }
            }
        } catch (IOException e) {
            problems.add(file + ": " + e.getMessage());
        }
        return sources;
    }
}
