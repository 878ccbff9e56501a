package io.fnwatch.ingest.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import com.google.pubsub.v1.SubscriberGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Pub/Sub's Subscriber service on 127.0.0.1 (gRPC over HTTP/2, plaintext, as the emulator),
 * for tests and {@code bench pullers}: it serves StreamingPull, Acknowledge and ModifyAckDeadline to the real
 * client library. Messages are published straight into a subscription. A delivered message stays outstanding until
 * acknowledged; a nack (deadline 0) makes it ready again at once, and {@link #expireAll()} does the same for every
 * outstanding message, as their ack deadlines passing would. {@link #kill()} plays a client process dying: its
 * streams break and its acks are lost, until {@link #revive()}. Server-side flow control (the client's
 * max_outstanding_messages) is applied unless turned off, to see the client's own.
 */
public final class LocalPubSub implements AutoCloseable {

    private static final int MAX_PER_RESPONSE = 100;

    private static final class Message {
        final PubsubMessage message;
        final String subscription;
        String ackId;
        boolean acked;

        Message(PubsubMessage message, String subscription) {
            this.message = message;
            this.subscription = subscription;
        }
    }

    private final class Stream {
        final StreamObserver<StreamingPullResponse> out;
        String subscription;
        long maxOutstanding;
        final Set<String> outstanding = new HashSet<>();

        Stream(StreamObserver<StreamingPullResponse> out) {
            this.out = out;
        }
    }

    private final Object lock = new Object();
    private final Map<String, ArrayDeque<Message>> ready = new HashMap<>();
    private final Set<String> subscriptions = new HashSet<>();
    private final Map<String, Message> byAckId = new HashMap<>();
    private final List<Message> all = new ArrayList<>();
    private final List<Stream> streams = new ArrayList<>();
    private final boolean serverFlowControl;
    private final Server server;
    private long nextId;
    private long deliveries;
    private long acks;
    private long nacks;
    private long requestedMaxOutstanding = -1;
    private boolean killed;

    private LocalPubSub(boolean serverFlowControl) throws IOException {
        this.serverFlowControl = serverFlowControl;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Service())
                .build()
                .start();
    }

    public static LocalPubSub start() throws IOException {
        return new LocalPubSub(true);
    }

    /** A server that sends whatever is ready, whatever flow control the client asked for. */
    public static LocalPubSub startWithoutFlowControl() throws IOException {
        return new LocalPubSub(false);
    }

    /** {@code host:port}, for {@code pubsub.emulator.endpoint}. */
    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Creates {@code subscription} (full name); a stream for one never created or published to gets NOT_FOUND. */
    public void createSubscription(String subscription) {
        synchronized (lock) {
            subscriptions.add(subscription);
        }
    }

    /** Publishes {@code data} to {@code subscription} (full name, created if new); returns its message id. */
    public String publish(String subscription, byte[] data) {
        synchronized (lock) {
            subscriptions.add(subscription);
            String id = String.valueOf(++nextId);
            long now = System.currentTimeMillis();
            PubsubMessage m = PubsubMessage.newBuilder()
                    .setMessageId(id)
                    .setData(ByteString.copyFrom(data))
                    .setPublishTime(
                            Timestamp.newBuilder().setSeconds(now / 1000).setNanos((int) (now % 1000) * 1_000_000))
                    .build();
            Message msg = new Message(m, subscription);
            all.add(msg);
            ready.computeIfAbsent(subscription, s -> new ArrayDeque<>()).add(msg);
            dispatch();
            return id;
        }
    }

    /** Every outstanding (delivered, unacknowledged) message is ready again, as when its ack deadline passes. */
    public void expireAll() {
        synchronized (lock) {
            for (Stream s : streams) {
                s.outstanding.clear();
            }
            for (Message m : new ArrayList<>(byAckId.values())) {
                requeue(m);
            }
            dispatch();
        }
    }

    /** The client dies: its streams break, acks sent from now on are lost. */
    public void kill() {
        synchronized (lock) {
            killed = true;
            for (Stream s : streams) {
                s.out.onError(Status.UNAVAILABLE.withDescription("killed").asRuntimeException());
            }
            streams.clear();
        }
    }

    /** A new client may come: what the dead one left unacknowledged is ready again (its deadlines passed). */
    public void revive() {
        synchronized (lock) {
            killed = false;
            expireAll();
        }
    }

    public long deliveries() {
        synchronized (lock) {
            return deliveries;
        }
    }

    public long acks() {
        synchronized (lock) {
            return acks;
        }
    }

    public long nacks() {
        synchronized (lock) {
            return nacks;
        }
    }

    /** Ids of the messages acknowledged. */
    public Set<String> acked() {
        synchronized (lock) {
            Set<String> out = new HashSet<>();
            all.stream().filter(m -> m.acked).forEach(m -> out.add(m.message.getMessageId()));
            return out;
        }
    }

    public int unacked() {
        synchronized (lock) {
            return (int) all.stream().filter(m -> !m.acked).count();
        }
    }

    /** Messages delivered and neither acknowledged nor nacked. */
    public int outstanding() {
        synchronized (lock) {
            return byAckId.size();
        }
    }

    /** The max_outstanding_messages the last stream asked for, or -1. */
    public long requestedMaxOutstanding() {
        synchronized (lock) {
            return requestedMaxOutstanding;
        }
    }

    private void requeue(Message m) {
        byAckId.remove(m.ackId);
        m.ackId = null;
        ready.computeIfAbsent(m.subscription, s -> new ArrayDeque<>()).addFirst(m);
    }

    private void dispatch() {
        for (Stream s : streams) {
            ArrayDeque<Message> queue = ready.get(s.subscription);
            while (queue != null && !queue.isEmpty()) {
                StreamingPullResponse.Builder response = StreamingPullResponse.newBuilder();
                while (!queue.isEmpty()
                        && response.getReceivedMessagesCount() < MAX_PER_RESPONSE
                        && (!serverFlowControl || s.maxOutstanding <= 0 || s.outstanding.size() < s.maxOutstanding)) {
                    Message m = queue.poll();
                    m.ackId = "ack-" + m.message.getMessageId() + "-" + (++deliveries);
                    byAckId.put(m.ackId, m);
                    s.outstanding.add(m.ackId);
                    response.addReceivedMessages(ReceivedMessage.newBuilder()
                            .setAckId(m.ackId)
                            .setMessage(m.message)
                            .build());
                }
                if (response.getReceivedMessagesCount() == 0) {
                    break;
                }
                s.out.onNext(response.build());
            }
        }
    }

    private void ack(List<String> ackIds) {
        synchronized (lock) {
            if (killed) {
                return;
            }
            for (String id : ackIds) {
                Message m = byAckId.remove(id);
                if (m != null) {
                    m.acked = true;
                    m.ackId = null;
                    acks++;
                }
                streams.forEach(s -> s.outstanding.remove(id));
            }
            dispatch();
        }
    }

    private void nack(List<String> ackIds) {
        synchronized (lock) {
            if (killed) {
                return;
            }
            for (String id : ackIds) {
                Message m = byAckId.get(id);
                if (m != null) {
                    nacks++;
                    requeue(m);
                }
                streams.forEach(s -> s.outstanding.remove(id));
            }
            dispatch();
        }
    }

    private final class Service extends SubscriberGrpc.SubscriberImplBase {

        @Override
        public StreamObserver<StreamingPullRequest> streamingPull(StreamObserver<StreamingPullResponse> out) {
            Stream stream = new Stream(out);
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamingPullRequest r) {
                    synchronized (lock) {
                        if (killed) {
                            out.onError(
                                    Status.UNAVAILABLE.withDescription("killed").asRuntimeException());
                            return;
                        }
                        if (!r.getSubscription().isEmpty()
                                && stream.subscription == null
                                && !subscriptions.contains(r.getSubscription())) {
                            out.onError(Status.NOT_FOUND
                                    .withDescription("Resource not found (resource=" + r.getSubscription() + ").")
                                    .asRuntimeException());
                            return;
                        }
                        if (!r.getSubscription().isEmpty() && stream.subscription == null) {
                            stream.subscription = r.getSubscription();
                            stream.maxOutstanding = r.getMaxOutstandingMessages();
                            requestedMaxOutstanding = r.getMaxOutstandingMessages();
                            streams.add(stream);
                        }
                    }
                    if (r.getAckIdsCount() > 0) {
                        ack(r.getAckIdsList());
                    }
                    List<String> zero = new ArrayList<>();
                    for (int i = 0; i < r.getModifyDeadlineAckIdsCount(); i++) {
                        if (r.getModifyDeadlineSeconds(i) == 0) {
                            zero.add(r.getModifyDeadlineAckIds(i));
                        }
                    }
                    if (!zero.isEmpty()) {
                        nack(zero);
                    }
                    synchronized (lock) {
                        dispatch();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    closeStream();
                }

                @Override
                public void onCompleted() {
                    closeStream();
                    try {
                        out.onCompleted();
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }

                private void closeStream() {
                    synchronized (lock) {
                        streams.remove(stream);
                    }
                }
            };
        }

        @Override
        public void acknowledge(AcknowledgeRequest r, StreamObserver<Empty> out) {
            ack(r.getAckIdsList());
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }

        @Override
        public void modifyAckDeadline(ModifyAckDeadlineRequest r, StreamObserver<Empty> out) {
            if (r.getAckDeadlineSeconds() == 0) {
                nack(r.getAckIdsList());
            }
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
