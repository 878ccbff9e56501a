package io.fnwatch.ingest.pull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;

/**
 * A real producer whose next sends can be made to fail (as when the brokers lack replicas) and whose sends can be
 * held back (Kafka slow): a held record is neither written nor acknowledged until released.
 */
public final class FaultyProducer extends KafkaProducer<String, byte[]> {

    private final AtomicInteger failNext = new AtomicInteger();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private int maxHeld;
    private final AtomicInteger sent = new AtomicInteger();

    public FaultyProducer(Map<String, Object> config) {
        super(config);
    }

    public void failNext(int n) {
        failNext.set(n);
    }

    public synchronized void hold() {
        holding = true;
    }

    /** Runs the callbacks of {@code n} held records (the oldest first). */
    public void release(int n) {
        List<Runnable> run = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < n && !held.isEmpty(); i++) {
                run.add(held.remove(0));
            }
        }
        run.forEach(Runnable::run);
    }

    /** Stops holding and runs every held callback. */
    public void releaseAll() {
        List<Runnable> run;
        synchronized (this) {
            holding = false;
            run = new ArrayList<>(held);
            held.clear();
        }
        run.forEach(Runnable::run);
    }

    public synchronized int held() {
        return held.size();
    }

    public synchronized int maxHeld() {
        return maxHeld;
    }

    public int sent() {
        return sent.get();
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            Exception e = new NotEnoughReplicasException("injected: not enough replicas");
            callback.onCompletion(null, e);
            return CompletableFuture.failedFuture(e);
        }
        sent.incrementAndGet();
        synchronized (this) {
            if (holding) {
                held.add(() -> super.send(record, callback));
                maxHeld = Math.max(maxHeld, held.size());
                return new CompletableFuture<>();
            }
        }
        return super.send(record, callback);
    }
}
