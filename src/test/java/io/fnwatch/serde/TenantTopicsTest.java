package io.fnwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.TopicAdmin;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TenantTopicsTest {

    @Test
    void shouldMapTenantsToTopicsOneWayAndRefuseEverythingElse() {
        TenantTopics tenants = new TenantTopics("fnwatch-logs-raw", "default");
        assertThat(tenants.tenantOf("fnwatch-logs-raw")).isEqualTo("default");
        assertThat(tenants.tenantOf("fnwatch-logs-raw.acme")).isEqualTo("acme");
        assertThat(tenants.topicOf("default")).isEqualTo("fnwatch-logs-raw");
        assertThat(tenants.topicOf("acme")).isEqualTo("fnwatch-logs-raw.acme");
        for (String notRaw : new String[] {
            "fnwatch-logs-rawacme",
            "fnwatch-logs-raw.",
            "fnwatch-logs-raw.a.b",
            "fnwatch-logs-raw.acme.",
            "xfnwatch-logs-raw",
            "fnwatch-logs-raw.acme/x",
            "fnwatch-alerts",
            "fnwatch-logs-raw." + "a".repeat(65)
        }) {
            assertThat(tenants.tenantOf(notRaw)).as(notRaw).isNull();
        }
        for (String bad : new String[] {"", "a.b", "a/b", "acme ", "ünï", "a".repeat(65)}) {
            assertThatThrownBy(() -> tenants.topicOf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        // a base name with regex characters is taken literally
        assertThat(new TenantTopics("raw.logs+x", "default").tenantOf("rawXlogs+x"))
                .isNull();
    }

    @Test
    void shouldRefuseABaseNameThatLeavesNoRoomForATenant() {
        assertThatThrownBy(() -> new TenantTopics("r".repeat(200), "default"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantTopics("fnwatch-logs-raw", "de.fault"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseSettingsWhoseTenantsCannotNameATopic() {
        assertThatThrownBy(() -> FnwatchConfig.of(Map.of(FnwatchConfig.RAW_TENANTS, "acme,acme.eu")))
                .isInstanceOf(ConfigErrors.class)
                .hasMessageContaining(FnwatchConfig.RAW_TENANTS)
                .hasMessageContaining("acme.eu");
        assertThatThrownBy(() -> FnwatchConfig.of(Map.of(FnwatchConfig.DEFAULT_TENANT, "x/y")))
                .isInstanceOf(ConfigErrors.class)
                .hasMessageContaining(FnwatchConfig.DEFAULT_TENANT);
    }

    @Test
    void shouldCreateEachListedTenantsTopicLikeTheRawTopic() {
        FnwatchConfig c =
                FnwatchConfig.of(Map.of(FnwatchConfig.RAW_TENANTS, "acme,default", FnwatchConfig.PARTITIONS, "6"));

        Map<String, NewTopic> topics = TopicAdmin.topics(c).stream().collect(Collectors.toMap(NewTopic::name, t -> t));

        assertThat(topics)
                .containsKeys("fnwatch-logs-raw", "fnwatch-logs-raw.acme")
                .doesNotContainKey("fnwatch-logs-raw.default");
        assertThat(topics.get("fnwatch-logs-raw.acme").numPartitions()).isEqualTo(6);
        assertThat(topics.get("fnwatch-logs-raw.acme").configs())
                .isEqualTo(topics.get("fnwatch-logs-raw").configs());
    }
}
