package io.fnwatch.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fnwatch.detect.Runtimes;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Reads an inventory export — functions with the time each last ran — into seeds for the inventory topic, for
 * providers fnwatch does not pull (or functions that logged nothing lately): the stale detector then knows a
 * function dormant for months before fnwatch started, and alerts on its first invocation ({@code SeedProcessor}).
 * A CSV file (by its {@code .csv} name) has a header row; anything else is JSON, an array of objects or one
 * object per line. Fields: {@code function} (or {@code functionName}; required), {@code lastInvoked} (ISO-8601
 * time or date; required), {@code provider} ({@code aws}, {@code gcp} or {@code azure}; default {@code aws}),
 * {@code account}, {@code region}, {@code runtime}, {@code reservedConcurrency} (a whole number, as {@code aws lambda
 * get-function-concurrency} reports it; the concurrency detector's per-function limit). Every problem is listed, each with its row; nothing is written
 * while there is one.
 */
public final class InventoryImport {

    /** The seeds to write, or the problems that stop the import. */
    public record Result(List<ProducerRecord<String, byte[]>> seeds, List<String> problems) {}

    static final Set<String> PROVIDERS = Set.of("aws", "gcp", "azure");
    /** More rows than any fleet has functions: a file this long is not an inventory. */
    static final int MAX_ROWS = 1_000_000;

    private static final int MAX_PROBLEMS = 50;

    private InventoryImport() {}

    public static Result read(Path file, String tenant, String topic) throws IOException {
        List<JsonNode> rows;
        try {
            rows = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? csv(file) : json(file);
        } catch (JacksonException | CharConversionException e) {
            // a row with more cells than the header, an unclosed quote, bytes that are not UTF-8 text
            String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            return new Result(List.of(), List.of(file + ": not readable as CSV: " + why));
        }
        List<ProducerRecord<String, byte[]>> seeds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (rows.size() > MAX_ROWS) {
            return new Result(List.of(), List.of(file + ": more than " + MAX_ROWS + " rows"));
        }
        for (int i = 0; i < rows.size() && problems.size() < MAX_PROBLEMS; i++) {
            seed(rows.get(i), tenant, topic, file + " row " + (i + 1), seeds, problems);
        }
        if (rows.isEmpty()) {
            problems.add(file + ": no functions in the file");
        }
        return new Result(problems.isEmpty() ? seeds : List.of(), problems);
    }

    private static void seed(
            JsonNode row,
            String tenant,
            String topic,
            String where,
            List<ProducerRecord<String, byte[]>> seeds,
            List<String> problems) {
        if (!row.isObject()) {
            problems.add(where + ": not an object with function and lastInvoked");
            return;
        }
        String function = text(row, "function") != null ? text(row, "function") : text(row, "functionName");
        String provider =
                text(row, "provider") == null ? "aws" : text(row, "provider").toLowerCase(Locale.ROOT);
        String last = text(row, "lastInvoked");
        Instant lastInvoked = instant(last);
        int before = problems.size();
        if (function == null) {
            problems.add(where + ": function is missing");
        }
        if (!PROVIDERS.contains(provider)) {
            problems.add(where + ": provider must be aws, gcp or azure, not " + provider);
        }
        if (last == null) {
            problems.add(where + ": lastInvoked is missing");
        } else if (lastInvoked == null) {
            problems.add(where + ": lastInvoked is not an ISO-8601 time or date: " + last);
        }
        String reserved = text(row, "reservedConcurrency");
        if (reserved != null && !reserved.matches("[0-9]{1,8}")) {
            problems.add(where + ": reservedConcurrency must be a whole number up to 99999999, not " + reserved);
        }
        if (problems.size() > before) {
            return;
        }
        FunctionKey key = new FunctionKey(tenant, provider, text(row, "account"), text(row, "region"), function);
        Map<String, Object> entry = key.fields();
        entry.put("firstSeen", null);
        entry.put("lastInvoked", lastInvoked.toString());
        entry.put("runtime", Runtimes.id(provider, text(row, "runtime")));
        entry.put("seededFrom", "import");
        if (reserved != null) {
            entry.put("reservedConcurrency", Integer.parseInt(reserved));
        }
        seeds.add(new ProducerRecord<>(topic, key.asString(), Json.bytes(entry)));
    }

    private static List<JsonNode> json(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (InputStream in = FileReplayer.openStream(file)) {
            new RecordReader(ParserSettings.DEFAULTS).read(in, raw -> rows.add(parsed(raw.value())));
        }
        return rows;
    }

    private static JsonNode parsed(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode("unreadable"); // listed as a problem with its row
        }
    }

    private static List<JsonNode> csv(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<JsonNode> rows = new ArrayList<>();
        try (InputStream in = FileReplayer.openStream(file);
                MappingIterator<ObjectNode> it = mapper.readerFor(ObjectNode.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(in)) {
            while (it.hasNextValue() && rows.size() <= MAX_ROWS) {
                rows.add(it.nextValue());
            }
        }
        return rows;
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        String s = v == null || v.isNull() || v.isContainerNode()
                ? null
                : v.asText().trim();
        return s == null || s.isEmpty() ? null : s;
    }

    /** An instant, or a date read as its start in UTC; null when it is neither. */
    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
