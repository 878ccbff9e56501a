package io.fnwatch.topology;

import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.serde.SourceHeaders;
import io.fnwatch.serde.TenantTopics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses raw records on a second thread while the stream thread still works on earlier ones: parsing is a pure
 * function of a record's bytes, its topic's tenant and its headers, so it need not wait for its turn.
 *
 * <p>A Kafka consumer interceptor of the stream thread's main consumer ({@code parse.ahead}): each poll's raw
 * records are handed, per partition, to this thread's parser thread. {@link ParseProcessor}, on the same stream
 * thread, takes a record's result when it is ready, and otherwise parses the record itself as before — so nothing
 * about what is parsed, in what order it is applied, or what a commit covers changes: a result is only ever used
 * for the very record object it was computed from (same {@code byte[]} instance), and a record the parser thread
 * has not finished is simply parsed again on the stream thread. The stream thread never waits for the parser
 * thread.
 *
 * <p>The interceptor stays idle until a {@link ParseProcessor} on its thread asks for results (any other
 * topology, such as {@code bench throughput}'s windowed count, costs one thread-local write per poll). At most
 * {@link #MAX_PENDING} records wait for the stream thread; older ones (partitions revoked before they were
 * processed) are dropped.
 */
public final class ParseAhead implements ConsumerInterceptor<byte[], byte[]> {

    static final int MAX_PENDING = 20_000;
    /** And at most this many bytes of them (a partition revoked with its polled records unprocessed). */
    static final long MAX_PENDING_BYTES = 64L << 20;

    static final int MAX_POLLS_QUEUED = 64;

    /** Results the stream thread reads ahead at once ({@link #warm}). */
    static final int WARM = 16;

    /**
     * Canonical function key strings and names (functions, accounts, regions, runtimes…), shared by the parser
     * threads; cleared when it holds this many.
     */
    static final int MAX_CANONICAL_KEYS = 200_000;

    private static final ConcurrentHashMap<String, String> CANONICAL = new ConcurrentHashMap<>();

    /**
     * A record's parse result, its events' function keys as strings and whether each is the record's own Kafka
     * key. The strings are canonical instances, their hashes computed: the stream thread finds each function's
     * state by identity, without reading (and so fetching into its core's cache) the characters of a string
     * this thread built.
     */
    record Parsed(ParseResult result, String[] keys, boolean[] keyed) {

        /** Reads what the stream thread reads first of each event; the sum only keeps the reads from being dropped. */
        long touch() {
            long s = keyed.length + keys.length;
            List<FunctionEvent> events = result.events();
            for (int i = 0, n = Math.min(events.size(), 2); i < n; i++) {
                FunctionEvent e = events.get(i);
                s += e.timestamp().getNano();
                s += number(e.durationMs()) + number(e.billedDurationMs()) + number(e.initDurationMs());
                s += number(e.memorySizeMb()) + number(e.maxMemoryUsedMb());
                s += e.secrets() == null ? 0 : e.secrets().size();
                s += e.metrics() == null ? 0 : e.metrics().size();
            }
            return s;
        }

        private static long number(Number n) {
            return n == null ? 0 : n.longValue();
        }

        static Parsed of(ParseResult parsed, byte[] rawKey, Keys known) {
            int n = parsed.events().size();
            String[] keys = new String[n];
            boolean[] keyed = new boolean[n];
            List<FunctionEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                // the function's names as the stream thread already holds them (hot in its core's cache, hashes
                // computed), not the copies this thread just built: it reads them for the key, settings and prices
                FunctionEvent e = parsed.events().get(i).withSharedStrings(ParseAhead::canonical);
                events.add(e);
                keys[i] = known.of(e);
                keyed[i] = ParseProcessor.sameKey(keys[i], rawKey);
            }
            return new Parsed(new ParseResult(events, parsed.rejections(), parsed.skipped()), keys, keyed);
        }
    }

    /**
     * The function key strings of the events one parser thread has seen, by their canonical parts (one thread
     * only). An event's names are canonical instances once shared, so a function seen before is found by its
     * name's cached hash and four identity checks, instead of building its key and hashing all of it again (a
     * tenth of the parser thread in {@code bench throughput}).
     */
    static final class Keys {

        private record Known(String tenant, String provider, String account, String region, String key) {}

        private final HashMap<String, Known> byFunction = new HashMap<>();

        /** The canonical key string of {@code e}, whose names are canonical ({@link FunctionEvent#withSharedStrings}). */
        String of(FunctionEvent e) {
            Known k = byFunction.get(e.function());
            if (k != null
                    && k.tenant == e.tenant()
                    && k.provider == e.provider()
                    && k.account == e.account()
                    && k.region == e.region()) {
                return k.key;
            }
            String key = canonical(e.key().asString());
            if (byFunction.size() >= MAX_CANONICAL_KEYS) {
                byFunction.clear();
            }
            byFunction.put(e.function(), new Known(e.tenant(), e.provider(), e.account(), e.region(), key));
            return key;
        }
    }

    static String canonical(String key) {
        // get first: putIfAbsent locks the bin whenever the key is not its first node (15 % of this thread)
        String c = CANONICAL.get(key);
        if (c != null) {
            return c;
        }
        c = CANONICAL.putIfAbsent(key, key);
        if (c != null) {
            return c;
        }
        key.hashCode(); // cached in the string
        if (CANONICAL.size() > MAX_CANONICAL_KEYS) {
            CANONICAL.clear(); // an unbounded set of functions must not grow the heap; identity is only a speed-up
        }
        return key;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ParseAhead.class);
    private static final ThreadLocal<ParseAhead> ON_THIS_THREAD = new ThreadLocal<>();
    /** A slot the stream thread took, or the parser thread gave up on: the stream thread parses that record itself. */
    private static final Object CLAIMED = new Object();
    /** A slot the parser thread is parsing now: its result is due within a parse's time. */
    private static final Object PARSING = new Object();
    /**
     * How long the stream thread waits for a record the parser thread is parsing, rather than parse it a second
     * time (a parse takes about 2 µs): the two threads meet at the start of every poll, and then each took a
     * record the other was parsing. A parser thread descheduled mid-record costs the stream thread this much.
     */
    static final long WAIT_FOR_PARSING_NANOS = 5_000;

    /**
     * The records of one partition in one poll, and their results as the parser thread fills them in. The stream
     * thread only takes the poll's list and the records' sizes: reading each record's value, key and headers is
     * the parser thread's (5 % of the stream thread when it copied them at poll time; a poll's records are cold
     * again by the time the stream thread reaches them).
     */
    private static final class Chunk {
        final TopicPartition partition;
        final String tenant;
        /** The poll's records of the partition (immutable, read by both threads). */
        final List<ConsumerRecord<byte[], byte[]>> records;

        final int size;
        final long bytes;
        final AtomicReferenceArray<Object> results;
        /** The first record the stream thread has not taken yet (stream thread only). */
        int next;
        /** Results up to here were warmed ({@link #warm}; stream thread only). */
        int warmedTo;
        /** Set when the stream thread is past this chunk: the parser thread skips what is left of it. */
        volatile boolean abandoned;

        Chunk(TopicPartition partition, String tenant, List<ConsumerRecord<byte[], byte[]>> records) {
            this.partition = partition;
            this.tenant = tenant;
            this.records = records;
            this.size = records.size();
            long b = 0;
            for (int i = 0; i < size; i++) {
                b += Math.max(0, records.get(i).serializedValueSize());
            }
            bytes = b;
            results = new AtomicReferenceArray<>(size);
        }

        int indexOf(byte[] value) {
            for (int i = next; i < size; i++) {
                if (records.get(i).value() == value) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One partition's chunks, oldest first; touched by the stream thread only. */
    private static final class Lane {
        final String topic;
        final int partition;
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();

        Lane(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        boolean is(String t, int p) {
            return partition == p && (topic == t || topic.equals(t));
        }
    }

    /** The lanes of the partitions polled lately (a task's few; a scan beats hashing a TopicPartition). */
    private final List<Lane> lanes = new ArrayList<>();

    /** Each poll's chunks, for the parser thread; a poll that finds it full is parsed on the stream thread. */
    private final LinkedBlockingQueue<Chunk[]> work = new LinkedBlockingQueue<>(MAX_POLLS_QUEUED);

    private int pendingRecords;
    private long pendingBytes;
    private String clientId = "fnwatch";
    private ParserSettings settings;
    private TenantTopics tenants;
    private volatile LogParser parser;
    /** The parser thread's function keys ({@link Keys}); touched by whichever thread parses ahead, one at a time. */
    private final Keys known = new Keys();

    private Thread thread;
    /** False in tests: {@link #parseQueued()} does the parser thread's work on the caller's thread. */
    private final boolean ownThread;

    private final long waitForParsingNanos;
    private final Runnable onParsing;
    /** Records the parser thread parsed, and results the stream thread took (read by tests). */
    private volatile long parsed;

    private long taken;
    /** The sum of what {@link #warm} read: kept so that the reads are not optimised away. */
    private long warmth;

    /** As Kafka creates it, from {@code interceptor.classes}. */
    public ParseAhead() {
        this(true);
    }

    ParseAhead(boolean ownThread) {
        this(ownThread, WAIT_FOR_PARSING_NANOS, () -> {});
    }

    /** Tests: {@code onParsing} runs on the parser thread once it has claimed a record, before parsing it. */
    ParseAhead(boolean ownThread, long waitForParsingNanos, Runnable onParsing) {
        this.ownThread = ownThread;
        this.waitForParsingNanos = waitForParsingNanos;
        this.onParsing = onParsing;
    }

    /** This stream thread's interceptor, or null (no consumer, as under TopologyTestDriver, or parse.ahead off). */
    static ParseAhead onThisThread() {
        return ON_THIS_THREAD.get();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (id != null) {
            clientId = id.toString();
        }
    }

    /**
     * Called by the stream thread's {@link ParseProcessor}: parse the raw topics of {@code tenants} with {@code
     * settings} from the next poll on. A processor with other settings (another topology on the thread) wins; the
     * results of the old ones are dropped.
     */
    void want(ParserSettings settings, TenantTopics tenants) {
        if (parser != null
                && settings.equals(this.settings)
                && tenants.base().equals(this.tenants.base())
                && tenants.defaultTenant().equals(this.tenants.defaultTenant())) {
            return;
        }
        dropAll();
        this.settings = settings;
        this.tenants = tenants;
        parser = new LogParser(settings);
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        ON_THIS_THREAD.set(this);
        if (parser == null || records.isEmpty()) {
            return records;
        }
        if (thread != null && !thread.isAlive()) {
            // an Error beyond a record's (out of memory) ended it: the stream thread parses everything again
            LOG.warn("{}: the parser thread has stopped; parsing on the stream thread from now on", clientId);
            parser = null;
            dropAll();
            work.clear();
            return records;
        }
        if (work.remainingCapacity() == 0) {
            return records; // the parser thread is this far behind: these are parsed on the stream thread
        }
        List<Chunk> polled = new ArrayList<>(records.partitions().size());
        for (TopicPartition tp : records.partitions()) {
            String tenant = tenants.tenantOf(tp.topic());
            if (tenant == null) {
                continue; // not a raw topic: a repartition topic, the inventory
            }
            polled.add(new Chunk(tp, tenant, records.records(tp)));
        }
        if (!polled.isEmpty() && work.offer(polled.toArray(new Chunk[0]))) {
            for (Chunk c : polled) {
                lane(c.partition.topic(), c.partition.partition(), true).chunks.addLast(c);
                pendingRecords += c.size;
                pendingBytes += c.bytes;
            }
        }
        trim();
        if (thread == null && ownThread) {
            thread = new Thread(this::parseLoop, "fnwatch-parse-ahead-" + clientId);
            thread.setDaemon(true);
            thread.start();
        }
        return records;
    }

    /**
     * The result for {@code value}, the record at the head of {@code topic}-{@code partition}, if the parser
     * thread has finished it; null when the caller must parse it itself.
     */
    Parsed take(String topic, int partition, byte[] value) {
        Lane lane = lane(topic, partition, false);
        if (lane == null) {
            return null;
        }
        ArrayDeque<Chunk> q = lane.chunks;
        // Usually the head chunk's next record; after a seek (a task revived, a rebalance) older chunks go.
        Chunk found = null;
        int at = -1;
        for (Chunk c : q) {
            at = c.indexOf(value);
            if (at >= 0) {
                found = c;
                break;
            }
        }
        if (found == null) {
            return null;
        }
        while (q.peekFirst() != found) {
            drop(q.pollFirst());
        }
        found.next = at + 1;
        if (found.next == found.size) {
            drop(q.pollFirst());
        }
        Object r = found.results.get(at);
        if (r == PARSING) {
            r = awaitParsing(found, at);
        }
        if (r instanceof Parsed parsed) {
            taken++;
            if (found.next >= found.warmedTo) {
                warm(found, found.next);
            }
            return parsed;
        }
        found.results.compareAndSet(at, null, CLAIMED); // the parser thread must not start it now
        return null;
    }

    /** The slot's content once the parser thread is no longer parsing it, or still PARSING after the wait. */
    private Object awaitParsing(Chunk c, int at) {
        long until = System.nanoTime() + waitForParsingNanos;
        Object r;
        do {
            Thread.onSpinWait();
            r = c.results.get(at);
        } while (r == PARSING && System.nanoTime() < until);
        return r;
    }

    /**
     * Reads the next {@link #WARM} finished results of the chunk at once. The parser thread built them on the other
     * core: the stream thread's first read of each (its event's time, say) waits for the lines to come across, and
     * one at a time those waits were a tenth of its time; reads of several independent results overlap.
     */
    private void warm(Chunk c, int from) {
        int to = Math.min(c.size, from + WARM);
        long s = 0;
        for (int i = from; i < to; i++) {
            if (c.results.get(i) instanceof Parsed p) {
                s += p.touch();
            }
        }
        c.warmedTo = to;
        warmth += s;
    }

    private Lane lane(String topic, int partition, boolean create) {
        for (int i = 0; i < lanes.size(); i++) {
            Lane l = lanes.get(i);
            if (l.is(topic, partition)) {
                return l;
            }
        }
        if (!create) {
            return null;
        }
        Lane l = new Lane(topic, partition);
        lanes.add(l);
        return l;
    }

    private void drop(Chunk c) {
        c.abandoned = true;
        pendingRecords -= c.size;
        pendingBytes -= c.bytes;
    }

    /** Drops the oldest chunks beyond the bound, and the lanes left empty (partitions no longer polled). */
    private void trim() {
        Iterator<Lane> it = lanes.iterator();
        while (it.hasNext()) {
            ArrayDeque<Chunk> q = it.next().chunks;
            while ((pendingRecords > MAX_PENDING || pendingBytes > MAX_PENDING_BYTES) && !q.isEmpty()) {
                drop(q.pollFirst());
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
    }

    private void dropAll() {
        for (Lane l : lanes) {
            for (Chunk c : l.chunks) {
                c.abandoned = true;
            }
        }
        lanes.clear();
        pendingRecords = 0;
        pendingBytes = 0;
    }

    private void parseLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                parse(work.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parses a poll's chunks a record of each partition at a time, as the stream thread takes them (by timestamp
     * across its partitions), so that it does not meet the first records of one partition while this thread is
     * still on another's.
     */
    private void parse(Chunk[] polled) {
        LogParser p = parser;
        int n = 0;
        boolean more = true;
        for (int i = 0; more; i++) {
            more = false;
            for (Chunk c : polled) {
                if (i >= c.size || c.abandoned) {
                    continue;
                }
                more = true;
                if (!c.results.compareAndSet(i, null, PARSING)) {
                    continue; // the stream thread got there first
                }
                Object result = CLAIMED; // on failure: the stream thread parses it again and dead-letters its cause
                try {
                    onParsing.run();
                    ConsumerRecord<byte[], byte[]> r = c.records.get(i);
                    result = Parsed.of(p.parse(r.value(), c.tenant, SourceHeaders.hints(r.headers())), r.key(), known);
                    n++;
                } catch (RuntimeException | StackOverflowError e) {
                    // result stays CLAIMED
                } finally {
                    c.results.set(i, result);
                }
            }
        }
        parsed += n; // one writer
    }

    /** Tests: the parser thread's work, done now on this thread. */
    void parseQueued() {
        for (Chunk[] c = work.poll(); c != null; c = work.poll()) {
            parse(c);
        }
    }

    long parsedCount() {
        return parsed;
    }

    long takenCount() {
        return taken;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    int pendingRecords() {
        return pendingRecords;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        dropAll();
        work.clear();
        if (ON_THIS_THREAD.get() == this) {
            ON_THIS_THREAD.remove();
        }
    }
}
