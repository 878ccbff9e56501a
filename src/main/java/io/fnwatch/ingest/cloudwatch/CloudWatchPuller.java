package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.parse.LogParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Pulls CloudWatch Logs into the raw topic: discovers log groups now and then, and each sweep pulls every group
 * from its checkpoint to now. A failing group is logged and left for the next sweep; a fenced producer (another
 * puller took over the transactional id) stops the puller, since two pullers would write everything twice.
 */
public final class CloudWatchPuller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchPuller.class);

    private final CloudWatchSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final AwsClients aws;
    private final List<SourceClients> sources = new ArrayList<>();
    private final Map<String, Checkpoint> checkpoints;
    private final Map<SourceClients, List<LogGroups.Group>> groups = new HashMap<>();
    private final PullerOptions options;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;
    private Long discoveredAt;

    CloudWatchPuller(FnwatchConfig config, CloudWatchSettings settings, PullerOptions options) {
        this.settings = settings;
        this.options = options;
        this.producer = new KafkaProducer<>(transactional(config, settings));
        // fences any older puller and aborts what it left open, so the checkpoints read next are final
        producer.initTransactions();
        this.checkpoints = CloudWatchCheckpoints.load(config, settings.checkpointsTopic());
        this.aws = new AwsClients(settings, options.credentials());
        RequestGate gate = options.gate(settings);
        PageWriter writer = new PageWriter(producer, options.beforeCommit());
        for (CloudWatchSource s : settings.sources()) {
            sources.add(
                    new SourceClients(s, aws, gate, writer, settings, new LogParser(config.parserSettings()), config));
        }
        LOG.info("CloudWatch puller ready: {} source(s), {} checkpoint(s)", sources.size(), checkpoints.size());
    }

    public static CloudWatchPuller start(FnwatchConfig config) {
        CloudWatchPuller p = new CloudWatchPuller(config, CloudWatchSettings.from(config), PullerOptions.production());
        p.thread = new Thread(p::run, "fnwatch-cloudwatch");
        p.thread.start();
        return p;
    }

    private static Map<String, Object> transactional(FnwatchConfig c, CloudWatchSettings s) {
        Map<String, Object> p = KafkaClients.producer(c);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, s.transactionalId());
        return p;
    }

    /** One sweep: discovery when due, then every log group of every source. */
    public int pollOnce() throws InterruptedException {
        long now = options.clock().getAsLong();
        if (discoveredAt == null || now - discoveredAt >= settings.discoveryIntervalMs()) {
            discover();
            discoveredAt = now;
        }
        int written = 0;
        for (SourceClients s : sources) {
            for (LogGroups.Group g : groups.getOrDefault(s, List.of())) {
                if (stop.getCount() == 0) {
                    return written;
                }
                written += pull(s, g, now);
            }
        }
        return written;
    }

    private void discover() throws InterruptedException {
        for (SourceClients s : sources) {
            try {
                groups.put(s, s.discover());
            } catch (SdkException | KafkaException e) {
                rethrowIfFatal(e);
                LOG.warn(
                        "discovery in {} failed, keeping {} known groups: {}",
                        s.source().rateKey(),
                        groups.getOrDefault(s, List.of()).size(),
                        e.toString());
            }
        }
    }

    private int pull(SourceClients s, LogGroups.Group g, long now) throws InterruptedException {
        String key = CloudWatchCheckpoints.key(g.account(), s.source().region(), g.name());
        try {
            return s.pull().pull(s.source(), g, checkpoints.get(key), now, cp -> checkpoints.put(key, cp));
        } catch (SdkException | KafkaException e) {
            rethrowIfFatal(e);
            LOG.warn("pulling {} failed; it resumes from its checkpoint next sweep: {}", g.name(), e.toString());
            return 0;
        }
    }

    private static void rethrowIfFatal(RuntimeException e) {
        if (e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException) {
            throw new IllegalStateException("CloudWatch puller stopped: " + e.getMessage(), e);
        }
    }

    private void run() {
        try {
            do {
                pollOnce();
            } while (!stop.await(settings.pollIntervalMs(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("CloudWatch puller stopped", e);
        }
    }

    Map<String, Checkpoint> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(10));
        sources.forEach(SourceClients::close);
        aws.close();
    }
}
