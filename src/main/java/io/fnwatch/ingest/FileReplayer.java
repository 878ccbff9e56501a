package io.fnwatch.ingest;

import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import io.fnwatch.parse.SourceHints;
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
 * Writes log files (one record per line, or the records of a file that is one JSON document: see
 * {@link RecordReader}; {@code .gz} read transparently; folders walked in name order) to a tenant's raw topic. Each record is keyed by its function and stamped with its event time when the line can be
 * read, so the service needs no repartition and windows follow event time; lines it cannot read are sent
 * as they are, for the service to dead-letter.
 */
public final class FileReplayer {

    public record Result(long records, long bytes, List<Path> files) {}

    private final Map<String, Object> producerConfig;
    private final String topic;
    private final String tenant;
    private final LogParser parser;
    private final RecordReader reader;
    private final SourceHints hints;

    /** Writes the default tenant's logs to {@code topic}. */
    public FileReplayer(Map<String, Object> producerConfig, String topic, ParserSettings settings) {
        this(producerConfig, topic, settings.defaultTenant(), settings);
    }

    /**
     * Writes {@code tenant}'s logs to {@code topic}, which must be that tenant's raw topic: the service takes
     * the tenant from the topic, and the records are keyed as the service will key their events.
     */
    public FileReplayer(Map<String, Object> producerConfig, String topic, String tenant, ParserSettings settings) {
        this(producerConfig, topic, tenant, settings, SourceHints.NONE);
    }

    /**
     * As above, for logs whose source names what they do not say themselves ({@code replay --region}): the hints
     * key the records and go with them as headers, as HTTP ingest writes them.
     */
    public FileReplayer(
            Map<String, Object> producerConfig,
            String topic,
            String tenant,
            ParserSettings settings,
            SourceHints hints) {
        this.hints = hints;
        this.producerConfig = producerConfig;
        this.topic = topic;
        this.tenant = tenant;
        this.parser = new LogParser(settings);
        this.reader = new RecordReader(settings);
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

    /** The file's lines, gunzipped when its name ends in {@code .gz}. */
    public static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(openStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    public static InputStream openStream(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Hands the raw records of {@code file} to {@code sink}, in order. */
    public static void read(Path file, RecordReader reader, RecordReader.Sink sink) throws IOException {
        try (InputStream in = openStream(file)) {
            reader.read(in, sink);
        }
    }

    /** Sends every record of {@code inputs}; {@code progress} hears the running record count now and then. */
    public Result replay(List<Path> inputs, LongConsumer progress) throws IOException, InterruptedException {
        List<Path> files = files(inputs);
        long[] sent = new long[2]; // records, bytes
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            List<Future<RecordMetadata>> last = new ArrayList<>(1); // the latest send: its ack follows all others
            for (Path file : files) {
                read(file, reader, raw -> {
                    Future<RecordMetadata> f = producer.send(record(raw.value()));
                    last.clear();
                    last.add(f);
                    sent[1] += raw.value().length;
                    if (++sent[0] % 10_000 == 0) {
                        progress.accept(sent[0]);
                    }
                });
            }
            producer.flush();
            if (!last.isEmpty()) {
                last.get(0).get();
            }
        } catch (ExecutionException e) {
            throw new IOException(
                    "Kafka did not accept the records: " + e.getCause().getMessage(), e.getCause());
        }
        progress.accept(sent[0]);
        return new Result(sent[0], sent[1], files);
    }

    private ProducerRecord<String, byte[]> record(byte[] value) {
        return RawRecords.of(topic, value, parser.parse(value, tenant, hints), hints);
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
