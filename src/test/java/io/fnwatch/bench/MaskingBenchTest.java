package io.fnwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.masking.MaskingBench;
import io.fnwatch.bench.masking.PlantedSecrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The masking bench's goals hold on a small run: every planted secret of 25+ kinds caught, no benign line masked. */
class MaskingBenchTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyPlantedSecretIsCaughtAndNoBenignLineIsMasked() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Map<String, Object> r =
                new MaskingBench().run(7, 10, null, 2000, new PrintStream(text, true, StandardCharsets.UTF_8));

        Map<String, Object> planted = (Map<String, Object>) r.get("planted");
        assertThat((int) planted.get("kinds")).isGreaterThanOrEqualTo(25);
        assertThat(planted.get("missedExamples")).asList().isEmpty();
        assertThat(planted.get("recall")).isEqualTo(1.0);
        Map<String, Object> benign = (Map<String, Object>) r.get("benign");
        assertThat(benign.get("examples")).asList().isEmpty();
        assertThat(benign.get("falsePositives")).isEqualTo(0L);
    }

    @Test
    void theSameSeedPlantsTheSameSecrets() {
        assertThat(new PlantedSecrets(3).generate(2)).isEqualTo(new PlantedSecrets(3).generate(2));
        assertThat(new PlantedSecrets(3).generate(2)).isNotEqualTo(new PlantedSecrets(4).generate(2));
    }
}
