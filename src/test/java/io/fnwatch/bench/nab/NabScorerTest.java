package io.fnwatch.bench.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java NAB scorer agrees with the independent reference scorer (shared/tools/nab_score.py) on a small
 * fixture: three files, three windows, probation, false positives before, between and after windows. The
 * reference figures were recorded by running the script on the fixture; when python3 and the script are on
 * this machine the test also runs it live.
 */
class NabScorerTest {

    private static final Path FIXTURE = Path.of("src/test/resources/nab-fixture");
    private static final Path SCRIPT = Path.of("../shared/tools/nab_score.py");
    /** python3 nab_score.py results --windows ... --profiles ... (recorded). */
    private static final Map<String, Double> REFERENCE = Map.of(
            "standard",
            81.09212525946612,
            "reward_low_FP_rate",
            70.68278398948975,
            "reward_low_FN_rate",
            87.39475017297741);

    @TempDir
    Path tmp;

    private static Map<String, Double> javaScores() throws IOException {
        NabCorpus corpus = new NabCorpus(FIXTURE);
        NabScorer scorer = new NabScorer();
        for (NabCorpus.Series s : corpus.series()) {
            List<String> rows = Files.readAllLines(FIXTURE.resolve("results").resolve(s.key()));
            double[] scores = rows.stream()
                    .skip(1)
                    .mapToDouble(l -> Double.parseDouble(l.split(",")[2]))
                    .toArray();
            scorer.add(s.timestamps(), scores, s.windows());
        }
        Map<String, Double> out = new TreeMap<>();
        scorer.score(NabScorer.profiles(corpus.profileWeights())).forEach(x -> out.put(x.profile(), x.normalized()));
        return out;
    }

    @Test
    void shouldAgreeWithTheReferenceScorerWithinATenthOfAPointWhenScoringTheFixture() throws IOException {
        Map<String, Double> java = javaScores();

        assertThat(java.keySet()).isEqualTo(REFERENCE.keySet());
        REFERENCE.forEach(
                (profile, expected) -> assertThat(java.get(profile)).as(profile).isCloseTo(expected, within(0.1)));
    }

    @Test
    void shouldAgreeWithTheReferenceScorerRunLiveWhenPythonIsAvailable() throws Exception {
        if (!Files.exists(SCRIPT) || !python()) {
            return; // the recorded comparison above still holds
        }
        Path json = tmp.resolve("scores.json");
        Process p = new ProcessBuilder(
                        "python3",
                        SCRIPT.toString(),
                        FIXTURE.resolve("results").toString(),
                        "--windows",
                        FIXTURE.resolve("labels/combined_windows.json").toString(),
                        "--profiles",
                        FIXTURE.resolve("config/profiles.json").toString(),
                        "--json",
                        json.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        JsonNode profiles = new ObjectMapper().readTree(json.toFile()).path("profiles");
        Map<String, Double> java = javaScores();
        profiles.fields()
                .forEachRemaining(e -> assertThat(java.get(e.getKey()))
                        .as(e.getKey())
                        .isCloseTo(e.getValue().path("normalized").asDouble(), within(0.1)));
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
