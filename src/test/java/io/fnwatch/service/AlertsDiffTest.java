package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash tests trust this comparison to see duplicates and losses; here it is shown that it does. */
class AlertsDiffTest {

    private static final Map<String, List<String>> REFERENCE = Map.of(
            "f1", List.of("{\"id\":\"a\",\"state\":\"OPEN\"}", "{\"id\":\"a\",\"state\":\"RESOLVED\"}"),
            "f2", List.of("{\"id\":\"b\",\"state\":\"OPEN\"}"));

    @Test
    void shouldFindNothingWhenARunIsIdentical() {
        AlertsDiff d = AlertsDiff.of(REFERENCE, Map.copyOf(REFERENCE));

        assertThat(d).isEqualTo(new AlertsDiff(3, 3, 0, 0, 0, true));
    }

    @Test
    void shouldCountAnInjectedDuplicate() {
        Map<String, List<String>> run = Map.of(
                "f1",
                        List.of(
                                "{\"id\":\"a\",\"state\":\"OPEN\"}",
                                "{\"id\":\"a\",\"state\":\"OPEN\"}",
                                "{\"id\":\"a\",\"state\":\"RESOLVED\"}"),
                "f2", List.of("{\"id\":\"b\",\"state\":\"OPEN\"}"));

        AlertsDiff d = AlertsDiff.of(REFERENCE, run);

        assertThat(d.duplicated()).isEqualTo(1);
        assertThat(d.lost()).isZero();
        assertThat(d.identical()).isFalse();
    }

    @Test
    void shouldCountLostChangedAndReorderedAlerts() {
        Map<String, List<String>> run = Map.of(
                "f1", List.of("{\"id\":\"a\",\"state\":\"RESOLVED\"}", "{\"id\":\"a\",\"state\":\"OPEN\"}"),
                "f2", List.of("{\"id\":\"b\",\"state\":\"OPEN\",\"score\":2}"));

        AlertsDiff d = AlertsDiff.of(REFERENCE, run);

        assertThat(d.lost()).isEqualTo(1);
        assertThat(d.unexpected()).isEqualTo(1);
        assertThat(d.duplicated()).isZero();
        assertThat(d.identical())
                .as("same alerts in another order are not identical")
                .isFalse();
    }
}
