package io.fnwatch.cli;

import io.fnwatch.auth.KeysFile;
import io.fnwatch.auth.TenantKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tenant keys (HTTP ingest and /functions): create one (shown once, only its hash stored), revoke one, list. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage tenant keys for HTTP ingest and /functions (the keys file holds only SHA-256 hashes).",
        subcommands = {KeysCommand.Create.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class})
final class KeysCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a key: print it once on stdout and add its hash entry to the keys file "
                    + "(or print the entry when no file is given).")
    static final class Create implements Callable<Integer> {

        @Option(names = "--tenant", required = true, description = "Tenant every record sent with the key gets.")
        String tenant;

        @Option(names = "--id", description = "Name of the key (default: TENANT-<random>).")
        String id;

        @Option(
                names = "--account",
                paramLabel = "ID",
                description = "Cloud account the key may send for and " + "read (repeatable; none = any).")
        List<String> accounts = new ArrayList<>();

        @Option(
                names = "--region",
                paramLabel = "REGION",
                description = "AWS region of the logs sent with the key, for payloads that name none "
                        + "(CloudWatch Logs subscription payloads); a Firehose stream's own region wins.")
        String region;

        @Option(names = "--file", paramLabel = "FILE", description = "Keys file to add the entry to.")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (region != null && io.fnwatch.parse.SourceHints.awsRegion(region) == null) {
                System.err.println("--region must be an AWS region name such as eu-west-2");
                return 2;
            }
            String key = KeysFile.newKey();
            String hash = KeysFile.sha256Hex(key);
            String name = id != null ? id : KeysFile.defaultId(tenant, hash);
            TenantKey entry = new TenantKey(name, hash, tenant, accounts, region, false);
            if (file != null) {
                List<TenantKey> keys = new ArrayList<>(Files.exists(file) ? KeysFile.read(file) : List.of());
                keys.add(entry);
                KeysFile.write(file, keys);
                System.err.println("added key " + name + " (tenant " + tenant + ") to " + file
                        + "; a running server picks it up within seconds");
            } else {
                System.err.println("add this entry under `keys:` in the keys file:");
                System.err.print(KeysFile.yaml(entry));
            }
            System.err.println("the key (shown only now; store it in your secret manager):");
            System.out.println(key);
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Mark a key revoked; a running server refuses it within seconds, no restart.")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--id", required = true, description = "Key to revoke.")
        String id;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "Keys file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            List<TenantKey> keys = new ArrayList<>(KeysFile.read(file));
            int at = keys.stream().map(TenantKey::id).toList().indexOf(id);
            if (at < 0) {
                System.err.println("fnwatch: no key " + id + " in " + file);
                return 1;
            }
            keys.set(at, keys.get(at).revoke());
            KeysFile.write(file, keys);
            System.err.println("revoked key " + id + " in " + file);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys of a keys file.")
    static final class ListKeys implements Callable<Integer> {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "Keys file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            for (TenantKey k : KeysFile.read(file)) {
                System.out.printf(
                        "%-32s tenant=%-16s accounts=%s%s%s%n",
                        k.id(),
                        k.tenant(),
                        k.accounts().isEmpty() ? "any" : String.join(",", k.accounts()),
                        k.region() == null ? "" : " region=" + k.region(),
                        k.revoked() ? " REVOKED" : "");
            }
            return 0;
        }
    }
}
