package io.fnwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantTopicsTest {

    @Test
    void shouldMapTenantsToTopicsOneWayAndRefuseEverythingElse() {
        TenantTopics tenants = new TenantTopics("fnwatch-logs-raw", "default");
        assertThat(tenants.tenantOf("fnwatch-logs-raw")).isEqualTo("default");
        assertThat(tenants.tenantOf("fnwatch-logs-raw.acme")).isEqualTo("acme");
        assertThat(tenants.topicOf("default")).isEqualTo("fnwatch-logs-raw");
        assertThat(tenants.topicOf("acme")).isEqualTo("fnwatch-logs-raw.acme");
        for (String notRaw : new String[] {"fnwatch-logs-rawacme", "fnwatch-logs-raw.", "fnwatch-logs-raw.a.b",
                "fnwatch-logs-raw.acme.", "xfnwatch-logs-raw", "fnwatch-logs-raw.acme/x", "fnwatch-alerts",
                "fnwatch-logs-raw." + "a".repeat(65)}) {
            assertThat(tenants.tenantOf(notRaw)).as(notRaw).isNull();
        }
        for (String bad : new String[] {"", "a.b", "a/b", "acme ", "ünï", "a".repeat(65)}) {
            assertThatThrownBy(() -> tenants.topicOf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        // a base name with regex characters is taken literally
        assertThat(new TenantTopics("raw.logs+x", "default").tenantOf("rawXlogs+x")).isNull();
    }

    @Test
    void shouldRefuseABaseNameThatLeavesNoRoomForATenant() {
        assertThatThrownBy(() -> new TenantTopics("r".repeat(200), "default"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantTopics("fnwatch-logs-raw", "de.fault"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
