package io.fnwatch.ingest.cloudwatch;

import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes one page's records and its checkpoint in one Kafka transaction: a reader with read_committed sees
 * both or neither, so a puller killed between pages resumes exactly after the last page it committed.
 */
final class PageWriter {

    /** Runs after a page's records are sent and before they are committed; tests simulate a kill here. */
    interface BeforeCommit {
        void run() throws InterruptedException;
    }

    private final Producer<String, byte[]> producer;
    private final BeforeCommit beforeCommit;

    PageWriter(Producer<String, byte[]> producer, BeforeCommit beforeCommit) {
        this.producer = producer;
        this.beforeCommit = beforeCommit;
    }

    void commit(List<ProducerRecord<String, byte[]>> records) throws InterruptedException {
        producer.beginTransaction();
        try {
            records.forEach(producer::send);
            producer.flush();
            beforeCommit.run();
            producer.commitTransaction();
        } catch (KafkaException | InterruptedException e) {
            abort();
            throw e;
        }
    }

    /** Fenced or fatal errors leave nothing to abort; the caller stops on them. */
    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the transaction is aborted by the broker when the producer is fenced or times out
        }
    }
}
