package io.fnwatch.service;

import io.fnwatch.kafka.EmbeddedKafkaExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup of the child-JVM tests: a broker of their own, the crash harness on it, and the uninterrupted
 * reference run every interrupted run is compared with.
 */
abstract class AgainstReferenceRun {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    static CrashHarness harness;
    static RunOutput reference;

    @BeforeAll
    static void referenceRun() throws Exception {
        harness = new CrashHarness(KAFKA.bootstrapServers(), dir);
        reference = CrashHarness.reference(harness);
    }
}
