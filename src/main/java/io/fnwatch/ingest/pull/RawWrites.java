package io.fnwatch.ingest.pull;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The pullers' writes to Kafka: the shared idempotent acks=all producer, with every wait bounded by
 * {@code pull.kafka.timeout.ms} — {@code send} blocks at most a third of it when the producer's buffer is full
 * (which is what pauses pulling while Kafka is slow), and a record not acknowledged within it fails.
 */
public final class RawWrites {

    private RawWrites() {}

    public static Map<String, Object> producerConfig(FnwatchConfig c, long timeoutMs) {
        Map<String, Object> p = KafkaClients.producer(c);
        long blockMs = timeoutMs / 3;
        long requestMs = Math.min(30_000, (timeoutMs - blockMs) / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, blockMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (timeoutMs - blockMs));
        return p;
    }

    /** Completes when Kafka has acknowledged every record, or exceptionally when one failed. */
    public static CompletableFuture<Void> send(
            Producer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks[i] = ack;
            try {
                producer.send(records.get(i), (metadata, e) -> {
                    if (e == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        return CompletableFuture.allOf(acks);
    }

    /** The cause of a failed write, without the future's wrappers. */
    public static Throwable cause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A record Kafka will never take, however often it is sent again: it becomes a dead letter. */
    public static boolean poison(Throwable t) {
        return cause(t) instanceof RecordTooLargeException;
    }
}
