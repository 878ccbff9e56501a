package io.fnwatch.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in this process, bound to 127.0.0.1.
 * The storage directory is formatted on first use and reused afterwards, so a restart keeps topics,
 * offsets and state changelogs.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private int plainPort = -1;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
    }

    /**
     * A second client listener that takes SASL/PLAIN (no TLS, no ACLs) for one user, as Azure Event Hubs' Kafka
     * endpoint takes {@code $ConnectionString} and a connection string: tests and {@code bench pullers} stand it in
     * for Event Hubs, while fnwatch itself uses the plain listener.
     */
    public record PlainListener(String user, String password) {}

    /** A temporary open broker with a {@link PlainListener} besides its plain one. */
    public static EmbeddedKafka startTemporary(PlainListener plain) throws IOException {
        Path dataDir = TempFolders.create("fnwatch-kafka-");
        Files.createDirectories(dataDir);
        Path logDir = dataDir.toAbsolutePath();
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        int plainPort = FreePorts.next();
        format(logDir, null);
        Properties props = properties(logDir, brokerPort, controllerPort);
        props.setProperty("listeners", props.getProperty("listeners") + ",EVENTHUBS://127.0.0.1:" + plainPort);
        props.setProperty(
                "advertised.listeners",
                props.getProperty("advertised.listeners") + ",EVENTHUBS://127.0.0.1:" + plainPort);
        props.setProperty(
                "listener.security.protocol.map",
                props.getProperty("listener.security.protocol.map") + ",EVENTHUBS:SASL_PLAINTEXT");
        props.setProperty("listener.name.eventhubs.sasl.enabled.mechanisms", "PLAIN");
        props.setProperty(
                "listener.name.eventhubs.plain.sasl.jaas.config",
                PlainLoginModule.class.getName() + " required user_" + plain.user() + "=\""
                        + plain.password().replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        EmbeddedKafka k = new EmbeddedKafka(server, logDir, true, brokerPort);
        k.plainPort = plainPort;
        return k;
    }

    /** The {@link PlainListener}'s address, or null when there is none. */
    public String plainBootstrapServers() {
        return plainPort < 0 ? null : "127.0.0.1:" + plainPort;
    }

    /**
     * A broker that authenticates every client with SASL/SCRAM-SHA-512 and authorizes it with Kafka's ACLs
     * ({@code StandardAuthorizer}; no ACL, no access). {@code superUser} is the broker's own identity and the
     * one super user (for the service and admin steps); its SCRAM credential is written at format time, other
     * users are added with {@code Admin.alterUserScramCredentials} and granted with {@code Admin.createAcls}.
     * The controller listener takes SASL/PLAIN with the same identity (KRaft controllers cannot use SCRAM,
     * whose credentials live in the metadata they serve).
     */
    public record Sasl(String superUser, String superPassword) {

        public static final String MECHANISM = "SCRAM-SHA-512";

        /** Client settings (for {@code kafka.*} or any client's config) that log in as {@code user}. */
        public static Map<String, Object> client(String user, String password) {
            return Map.of(
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    "SASL_PLAINTEXT",
                    SaslConfigs.SASL_MECHANISM,
                    MECHANISM,
                    SaslConfigs.SASL_JAAS_CONFIG,
                    jaas(ScramLoginModule.class, user, password, ""));
        }

        private static String jaas(Class<?> module, String user, String password, String extra) {
            return module.getName() + " required username=\"" + user + "\" password=\"" + password + "\"" + extra + ";";
        }
    }

    /** Starts a broker on {@code port} (0 = any free port) keeping its data in {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port, boolean deleteOnClose) throws IOException {
        return start(dataDir, port, deleteOnClose, null);
    }

    /** A temporary broker with SASL/SCRAM and ACLs, see {@link Sasl}. */
    public static EmbeddedKafka startTemporary(Sasl sasl) throws IOException {
        return start(TempFolders.create("fnwatch-kafka-"), 0, true, sasl);
    }

    private static EmbeddedKafka start(Path dataDir, int port, boolean deleteOnClose, Sasl sasl) throws IOException {
        Files.createDirectories(dataDir);
        Path logDir = dataDir.toAbsolutePath();
        int brokerPort = port == 0 ? FreePorts.next() : port;
        int controllerPort = FreePorts.next();
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, sasl);
        }
        Properties props = properties(logDir, brokerPort, controllerPort);
        if (sasl != null) {
            secure(props, brokerPort, sasl);
        }
        KafkaConfig config = KafkaConfig.fromProps(props);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, logDir, deleteOnClose, brokerPort);
    }

    public static EmbeddedKafka startTemporary() throws IOException {
        return start(TempFolders.create("fnwatch-kafka-"), 0, true);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private static void format(Path logDir, Sasl sasl) throws IOException {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setScramArguments(
                            sasl == null
                                    ? List.of()
                                    : List.of(Sasl.MECHANISM + "=[name=" + sasl.superUser() + ",password="
                                            + sasl.superPassword() + "]"))
                    .setNodeId(NODE_ID)
                    // A random id may begin with '-'; the API (unlike the CLI) does not mind.
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setHasDynamicQuorum(false)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setPrintStream(quiet)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format embedded Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("metadata.log.dir", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(8 << 20));
        return p;
    }

    /** Replaces the PLAINTEXT listener with SASL_PLAINTEXT/SCRAM, and turns on ACLs. */
    private static void secure(Properties p, int brokerPort, Sasl sasl) {
        String user = sasl.superUser();
        String password = sasl.superPassword();
        p.setProperty(
                "listeners",
                "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ","
                        + p.getProperty("listeners")
                                .substring(p.getProperty("listeners").indexOf("CONTROLLER://")));
        p.setProperty("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.setProperty("sasl.mechanism.inter.broker.protocol", Sasl.MECHANISM);
        p.setProperty("listener.name.sasl_plaintext.sasl.enabled.mechanisms", Sasl.MECHANISM);
        p.setProperty(
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                Sasl.jaas(ScramLoginModule.class, user, password, ""));
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty(
                "listener.name.controller.plain.sasl.jaas.config",
                Sasl.jaas(PlainLoginModule.class, user, password, " user_" + user + "=\"" + password + "\""));
        p.setProperty("authorizer.class.name", StandardAuthorizer.class.getName());
        p.setProperty("super.users", "User:" + user);
        p.setProperty("allow.everyone.if.no.acl.found", "false");
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            TempFolders.delete(dataDir);
        }
    }
}
