package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * The raw record the puller writes for one log event: the FilterLogEvents event with its group, the group's
 * account (from its ARN, the same 12 digits a subscription payload names as {@code owner}) and the region
 * pulled, so that its function key equals the one a subscription filter's payload of the same group gets.
 */
public final class PulledEvents {

    private PulledEvents() {}

    public static byte[] value(String logGroup, String account, String region, FilteredLogEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logGroup", logGroup);
        m.put("logStream", e.logStreamName());
        m.put("timestamp", e.timestamp());
        m.put("message", e.message());
        m.put("eventId", e.eventId());
        m.put("ingestionTime", e.ingestionTime());
        m.put("account", account);
        m.put("region", region);
        return Json.bytes(m);
    }
}
