package io.fnwatch.ingest;

import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes log files (one record per line; {@code .gz} read transparently; folders walked in name order) to
 * a tenant's raw topic. Each record is keyed by its function and stamped with its event time when the line can be
 * read, so the service needs no repartition and windows follow event time; lines it cannot read are sent
 * as they are, for the service to dead-letter.
 */
public final class FileReplayer {

    public record Result(long records, long bytes, List<Path> files) {}

    private final Map<String, Object> producerConfig;
    private final String topic;
    private final String tenant;
    private final LogParser parser;

    /** Writes the default tenant's logs to {@code topic}. */
    public FileReplayer(Map<String, Object> producerConfig, String topic, ParserSettings settings) {
        this(producerConfig, topic, settings.defaultTenant(), settings);
    }

    /**
     * Writes {@code tenant}'s logs to {@code topic}, which must be that tenant's raw topic: the service takes
     * the tenant from the topic, and the records are keyed as the service will key their events.
     */
    public FileReplayer(Map<String, Object> producerConfig, String topic, String tenant, ParserSettings settings) {
        this.producerConfig = producerConfig;
        this.topic = topic;
        this.tenant = tenant;
        this.parser = new LogParser(settings);
    }

    private static final List<String> LOG_SUFFIXES = List.of(".json", ".jsonl", ".ndjson", ".log", ".txt");

    /** Expands folders into their log files (sorted by path); files named explicitly are always taken. */
    public static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(FileReplayer::isLogFile)
                            .sorted()
                            .forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException("no such file or folder: " + p);
            }
        }
        return out;
    }

    private static boolean isLogFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        return !name.startsWith(".") && LOG_SUFFIXES.stream().anyMatch(plain::endsWith);
    }

    public static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Sends every line of {@code inputs}; {@code progress} hears the running record count now and then. */
    public Result replay(List<Path> inputs, LongConsumer progress) throws IOException, InterruptedException {
        List<Path> files = files(inputs);
        long records = 0;
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            Future<RecordMetadata> last = null;
            for (Path file : files) {
                try (BufferedReader r = open(file)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        byte[] value = line.getBytes(StandardCharsets.UTF_8);
                        last = producer.send(record(value));
                        records++;
                        bytes += value.length;
                        if (records % 10_000 == 0) {
                            progress.accept(records);
                        }
                    }
                }
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (ExecutionException e) {
            throw new IOException(
                    "Kafka did not accept the records: " + e.getCause().getMessage(), e.getCause());
        }
        progress.accept(records);
        return new Result(records, bytes, files);
    }

    private ProducerRecord<String, byte[]> record(byte[] value) {
        return RawRecords.of(topic, value, parser.parse(value, tenant));
    }

    /**
     * The raw key of a parsed record: its function when all its events share one (no repartition needed),
     * else null. Shared with {@code backtest} so that both feed the topology identically keyed records.
     */
    public static String functionKey(ParseResult parsed) {
        if (parsed.events().isEmpty()) {
            return null;
        }
        String key = parsed.events().get(0).key().asString();
        boolean oneFunction =
                parsed.events().stream().allMatch(e -> e.key().asString().equals(key));
        return oneFunction ? key : null;
    }
}
