package io.fnwatch.ingest.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Writes a request's records with the shared idempotent, acks=all producer and returns only once Kafka has
 * acknowledged every one of them, so that a 200 always means "stored". Whatever keeps Kafka from taking them
 * within the timeout becomes 503 with Retry-After: the sender keeps the data and tries again.
 */
final class RawTopicWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final long timeoutMs;
    private final long retryAfterSeconds;

    RawTopicWriter(Map<String, Object> producerConfig, long timeoutMs, long retryAfterSeconds) {
        this.producer = new KafkaProducer<>(withTimeouts(producerConfig, timeoutMs));
        this.timeoutMs = timeoutMs;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Bounds every wait inside the producer by the request's own timeout. */
    static Map<String, Object> withTimeouts(Map<String, Object> config, long timeoutMs) {
        Map<String, Object> p = new HashMap<>(config);
        long blockMs = timeoutMs / 3;
        long requestMs = Math.min(30_000, (timeoutMs - blockMs) / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, blockMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (timeoutMs - blockMs));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Math.min(5, requestMs / 10));
        return p;
    }

    void writeAll(List<ProducerRecord<String, byte[]>> records) throws IngestProblem {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw problem(e.getCause());
        } catch (KafkaException e) {
            throw problem(e);
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not acknowledge the records within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("the server is shutting down");
        }
    }

    private IngestProblem problem(Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            return IngestProblem.tooLarge("a record is larger than Kafka accepts: " + cause.getMessage());
        }
        return unavailable(
                "Kafka cannot take the records now: " + cause.getClass().getSimpleName());
    }

    private IngestProblem unavailable(String message) {
        return new IngestProblem(503, "kafka", message, retryAfterSeconds);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
