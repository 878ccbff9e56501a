package io.fnwatch.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker per test class: {@code @RegisterExtension static final
 * EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();} — started before the class's own
 * {@code @BeforeAll} methods, stopped (and its data deleted) after the class.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final EmbeddedKafka.Sasl sasl;
    private EmbeddedKafka broker;

    public EmbeddedKafkaExtension() {
        this(null);
    }

    /** A broker with SASL/SCRAM and ACLs ({@link EmbeddedKafka.Sasl}); null: plain and open. */
    public EmbeddedKafkaExtension(EmbeddedKafka.Sasl sasl) {
        this.sasl = sasl;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = sasl == null ? EmbeddedKafka.startTemporary() : EmbeddedKafka.startTemporary(sasl);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    public EmbeddedKafka broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
