package io.fnwatch.bench;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Remembers the first failed send; checked after the producer is flushed. */
final class SendFailures implements Callback {
    private final AtomicReference<Exception> first = new AtomicReference<>();

    @Override
    public void onCompletion(RecordMetadata m, Exception e) {
        if (e != null) {
            first.compareAndSet(null, e);
        }
    }

    void check() throws IOException {
        if (first.get() != null) {
            throw new IOException(
                    "Kafka did not accept a record: " + first.get().getMessage(), first.get());
        }
    }
}
