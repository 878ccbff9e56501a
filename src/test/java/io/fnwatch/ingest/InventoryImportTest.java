package io.fnwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryImportTest {

    @TempDir
    Path dir;

    private static Map<String, Object> entry(byte[] value) {
        return Json.read(value, Map.class);
    }

    @Test
    void shouldSeedEachFunctionOfACsvExportKeyedAsItsEventsWillBe() throws IOException {
        Path file = Files.writeString(
                dir.resolve("functions.csv"),
                "provider,account,region,function,lastInvoked,runtime\n"
                        + "aws,123456789012,eu-west-2,nightly-report,2026-01-02T03:04:05Z,python3.8\n"
                        + "gcp,acme-prod,europe-west1,resize,2025-11-30,\n");

        InventoryImport.Result r = InventoryImport.read(file, "acme", "fnwatch-inventory");

        assertThat(r.problems()).isEmpty();
        assertThat(r.seeds())
                .extracting(s -> s.key())
                .containsExactly(
                        "acme/aws/123456789012/eu-west-2/nightly-report", "acme/gcp/acme-prod/europe-west1/resize");
        assertThat(r.seeds()).allMatch(s -> s.topic().equals("fnwatch-inventory"));
        Map<String, Object> first = entry(r.seeds().get(0).value());
        assertThat(first)
                .containsEntry("lastInvoked", "2026-01-02T03:04:05Z")
                .containsEntry("runtime", "aws:python3.8")
                .containsEntry("seededFrom", "import");
        assertThat(entry(r.seeds().get(1).value())).containsEntry("lastInvoked", "2025-11-30T00:00:00Z");
    }

    @Test
    void shouldReadAJsonArrayOrOneObjectPerLineWithAwsAsTheDefaultProvider() throws IOException {
        Path array = Files.writeString(
                dir.resolve("a.json"),
                "[\n  {\"functionName\": \"a\", \"lastInvoked\": \"2026-01-01T00:00:00Z\"},\n"
                        + "  {\"function\": \"b\", \"lastInvoked\": \"2026-01-01\"}\n]\n");
        Path lines = Files.writeString(
                dir.resolve("b.ndjson"),
                "{\"function\": \"a\", \"lastInvoked\": \"2026-01-01T00:00:00Z\"}\n"
                        + "{\"function\": \"b\", \"lastInvoked\": \"2026-01-01\"}\n");

        for (Path file : List.of(array, lines)) {
            InventoryImport.Result r = InventoryImport.read(file, "default", "inv");

            assertThat(r.problems()).as(file.toString()).isEmpty();
            assertThat(r.seeds()).extracting(s -> s.key()).containsExactly("default/aws/-/-/a", "default/aws/-/-/b");
        }
    }

    @Test
    void shouldListEveryProblemWithItsRowAndSeedNothing() throws IOException {
        Path file = Files.write(
                dir.resolve("bad.csv"),
                ("function,lastInvoked,provider\n" + "ok,2026-01-01,aws\n" + ",2026-01-01,aws\n" + "x,yesterday,aws\n"
                                + "y,,oracle\n")
                        .getBytes(StandardCharsets.UTF_8));

        InventoryImport.Result r = InventoryImport.read(file, "default", "inv");

        assertThat(r.seeds()).isEmpty();
        assertThat(r.problems())
                .containsExactly(
                        file + " row 2: function is missing",
                        file + " row 3: lastInvoked is not an ISO-8601 time or date: yesterday",
                        file + " row 4: provider must be aws, gcp or azure, not oracle",
                        file + " row 4: lastInvoked is missing");
    }

    @Test
    void shouldReportACsvFileItCannotReadAsOneProblemInsteadOfFailing() throws IOException {
        Path ragged = Files.writeString(dir.resolve("r.csv"), "function,lastInvoked\na,2026-01-01,extra,cells\n");
        Path binary = Files.write(dir.resolve("b.csv"), new byte[] {'f', ',', 'l', '\n', '"', 0, (byte) 0xff, 1});

        for (Path file : List.of(ragged, binary)) {
            InventoryImport.Result r = InventoryImport.read(file, "default", "inv");

            assertThat(r.seeds()).isEmpty();
            assertThat(r.problems())
                    .as(file.toString())
                    .singleElement()
                    .asString()
                    .contains("not readable as CSV");
        }
    }

    @Test
    void shouldRefuseAnEmptyFileAndRowsThatAreNotObjects() throws IOException {
        assertThat(InventoryImport.read(Files.writeString(dir.resolve("e.json"), "\n"), "default", "inv")
                        .problems())
                .singleElement()
                .asString()
                .endsWith("no functions in the file");
        assertThat(InventoryImport.read(Files.writeString(dir.resolve("n.json"), "[1, \"x\"]"), "default", "inv")
                        .problems())
                .hasSize(2)
                .allMatch(p -> p.endsWith("not an object with function and lastInvoked"));
    }

    @Test
    void shouldCarryTheReservedConcurrencyWhenTheExportHasItAndRejectAnythingButAWholeNumber() throws IOException {
        Path file = Files.writeString(
                dir.resolve("functions.csv"),
                "function,lastInvoked,reservedConcurrency\n" + "a,2026-01-01,50\n" + "b,2026-01-01,\n");
        InventoryImport.Result r = InventoryImport.read(file, "default", "inv");
        assertThat(r.problems()).isEmpty();
        assertThat(entry(r.seeds().get(0).value())).containsEntry("reservedConcurrency", 50);
        assertThat(entry(r.seeds().get(1).value())).doesNotContainKey("reservedConcurrency");

        Path bad = Files.writeString(
                dir.resolve("bad.csv"), "function,lastInvoked,reservedConcurrency\na,2026-01-01,-3\n");
        assertThat(InventoryImport.read(bad, "default", "inv").problems())
                .singleElement()
                .asString()
                .contains("reservedConcurrency");
    }
}
