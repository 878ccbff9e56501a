package io.fnwatch.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fnwatch.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response bodies. Firehose requires exactly {@code {"requestId": <as sent>, "timestamp": <ms>}} on success and
 * adds {@code errorMessage} on failure; the other endpoints answer {@code {"accepted": n}} or {@code {"error": …}}.
 */
final class Responses {

    private Responses() {}

    static byte[] ok(Endpoint endpoint, IngestService.Accepted a, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (endpoint == Endpoint.FIREHOSE) {
            m.put("requestId", a.requestId());
            m.put("timestamp", now);
        } else {
            m.put("accepted", a.records());
        }
        return bytes(m);
    }

    static byte[] error(Endpoint endpoint, String requestId, String message, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (endpoint == Endpoint.FIREHOSE) {
            m.put("requestId", requestId);
            m.put("timestamp", now);
            m.put("errorMessage", message);
        } else {
            m.put("error", message);
        }
        return bytes(m);
    }

    private static byte[] bytes(Map<String, Object> m) {
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
