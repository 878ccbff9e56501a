package io.fnwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void shouldNeverHandOutOnePortTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int port = FreePorts.next();
            assertThat(port).isBetween(1, 65_535);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
