package io.fnwatch.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for temporary brokers and test services, each handed out at most once per JVM. Asking the
 * kernel for an ephemeral port and closing it again may give the same port twice in a row, so two listeners set
 * up together would collide (a service whose ingest and ops ports were one port failed to bind in CI).
 */
public final class FreePorts {

    private static final int ATTEMPTS = 1_000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {}

    /** A loopback port free now and not handed out before by this JVM. */
    public static synchronized int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port left that was not handed out before");
    }
}
