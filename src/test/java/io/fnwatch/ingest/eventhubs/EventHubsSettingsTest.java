package io.fnwatch.ingest.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventHubsSettingsTest {

    private static final String CONNECTION =
            "Endpoint=sb://acme-logs.servicebus.windows.net/;SharedAccessKeyName=fnwatch-listen;SharedAccessKey=a\"b\\c=";

    @Test
    void shouldTakeTheEndpointFromTheConnectionStringAndSendItAsThePlainPassword() {
        EventHubsSettings s = EventHubsSettings.from(FnwatchConfig.of(Map.of(
                "eventhubs.enabled", "true",
                "eventhubs.hubs", "function-app-logs",
                "eventhubs.connection.string", CONNECTION,
                "kafka.security.protocol", "SSL")));

        Map<String, Object> c = s.consumerConfig();
        assertThat(c)
                .containsEntry("bootstrap.servers", "acme-logs.servicebus.windows.net:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("group.id", "fnwatch")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "latest");
        // the password's quote and backslash are escaped, so it cannot end the JAAS option early
        assertThat(c.get("sasl.jaas.config").toString())
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"$ConnectionString\" password=\"Endpoint=sb://acme-logs.servicebus.windows.net/;"
                        + "SharedAccessKeyName=fnwatch-listen;SharedAccessKey=a\\\"b\\\\c=\";");
        assertThat(s.sources())
                .singleElement()
                .satisfies(src -> assertThat(src.tenant()).isEqualTo("default"));
        assertThat((Integer) c.get("max.poll.interval.ms")).isLessThan((Integer) c.get("connections.max.idle.ms"));
    }

    @Test
    void shouldListEveryProblemOfTheSettingsAtOnce() {
        assertThatThrownBy(() -> EventHubsSettings.from(FnwatchConfig.of(Map.of("eventhubs.enabled", "true"))))
                .isInstanceOf(ConfigErrors.class)
                .hasMessageContaining("eventhubs.hubs")
                .hasMessageContaining("eventhubs.connection.string");
        assertThatThrownBy(() -> EventHubsSettings.from(FnwatchConfig.of(
                        Map.of("eventhubs.hubs", "h", "eventhubs.connection.string", "SharedAccessKey=x"))))
                .hasMessageContaining("Endpoint=sb://");
    }
}
