package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.ingest.RawRecords;
import io.fnwatch.parse.LogParser;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;

/**
 * Pulls one log group from its checkpoint up to now with FilterLogEvents, page by page; every page (even an
 * empty one that only moves the token on) is one transaction of its new events and the new checkpoint.
 */
final class LogGroupPull {

    private static final Logger LOG = LoggerFactory.getLogger(LogGroupPull.class);

    /** The query being paged through, and the ids already written that it could return again. */
    private record Query(long start, long end, String token, EventIds ids) {

        static Query next(Checkpoint from, long now, CloudWatchSettings s) {
            if (from == null) {
                return new Query(now - s.startLookbackMs(), now, null, EventIds.empty());
            }
            if (!from.done()) {
                return new Query(from.start(), from.end(), from.nextToken(), from.eventIds());
            }
            return new Query(from.end() - s.overlapMs(), now, null, from.eventIds());
        }
    }

    private final CloudWatchLogsClient logs;
    private final RequestGate gate;
    private final PageWriter writer;
    private final CloudWatchSettings settings;
    private final LogParser parser;

    LogGroupPull(
            CloudWatchLogsClient logs,
            RequestGate gate,
            PageWriter writer,
            CloudWatchSettings settings,
            LogParser parser) {
        this.logs = logs;
        this.gate = gate;
        this.writer = writer;
        this.settings = settings;
        this.parser = parser;
    }

    /**
     * Pulls until the query's last page, handing each checkpoint to {@code committed} as soon as its page is
     * committed (so that a failure on a later page resumes after the earlier ones); returns the number of
     * events written.
     */
    int pull(CloudWatchSource source, LogGroups.Group group, Checkpoint from, long now, Consumer<Checkpoint> committed)
            throws InterruptedException {
        Query q = Query.next(from, now, settings);
        String key = CloudWatchCheckpoints.key(group.account(), source.region(), group.name());
        int written = 0;
        while (q != null && q.start() < q.end()) {
            FilterLogEventsResponse page = fetch(source, group, q, true);
            Map<String, FilteredLogEvent> fresh = new LinkedHashMap<>();
            Query current = q;
            page.events().stream()
                    .filter(e -> !current.ids().contains(e.eventId()))
                    .forEach(e -> fresh.putIfAbsent(e.eventId(), e));
            Checkpoint cp = checkpoint(q, page.nextToken(), fresh.values());
            List<ProducerRecord<String, byte[]>> records = records(source, group, fresh.values());
            records.add(CloudWatchCheckpoints.record(settings.checkpointsTopic(), key, cp));
            writer.commit(records);
            committed.accept(cp);
            written += fresh.size();
            q = cp.done() ? null : new Query(q.start(), q.end(), cp.nextToken(), cp.eventIds());
        }
        return written;
    }

    /** After the last page only the ids the next query's overlap can return again are kept. */
    private Checkpoint checkpoint(Query q, String nextToken, Collection<FilteredLogEvent> fresh) {
        EventIds ids = q.ids()
                .plus(
                        fresh.stream()
                                .map(e -> (Map.Entry<String, Long>)
                                        new AbstractMap.SimpleEntry<>(e.eventId(), e.timestamp()))
                                .toList(),
                        settings.dedupeMaxIds());
        return nextToken != null
                ? Checkpoint.page(q.start(), q.end(), nextToken, ids)
                : Checkpoint.done(q.start(), q.end(), ids.since(q.end() - settings.overlapMs()));
    }

    /**
     * One page. A token the service refuses (they expire) restarts the query once; the ids prevent repeats.
     */
    private FilterLogEventsResponse fetch(CloudWatchSource source, LogGroups.Group group, Query q, boolean mayRestart)
            throws InterruptedException {
        try {
            return gate.call(
                    source.rateKey(),
                    "FilterLogEvents",
                    () -> logs.filterLogEvents(b -> b.logGroupName(group.name())
                            .startTime(q.start())
                            .endTime(q.end() - 1)
                            .nextToken(q.token())
                            .filterPattern(settings.filterPattern().isEmpty() ? null : settings.filterPattern())));
        } catch (InvalidParameterException e) {
            if (q.token() == null || !mayRestart) {
                throw e;
            }
            LOG.warn(
                    "next token of {} was refused ({}); reading its query again from the start",
                    group.name(),
                    e.awsErrorDetails() == null
                            ? e.getMessage()
                            : e.awsErrorDetails().errorMessage());
            return fetch(source, group, new Query(q.start(), q.end(), null, q.ids()), false);
        }
    }

    private List<ProducerRecord<String, byte[]>> records(
            CloudWatchSource source, LogGroups.Group group, Iterable<FilteredLogEvent> events) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (FilteredLogEvent e : events) {
            byte[] value = PulledEvents.value(group.name(), group.account(), source.region(), e);
            // the tenant's own raw topic is what makes these the tenant's logs
            out.add(RawRecords.of(
                    settings.rawTopics().topicOf(source.tenant()), value, parser.parse(value, source.tenant())));
        }
        return out;
    }
}
