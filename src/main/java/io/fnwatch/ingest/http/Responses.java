package io.fnwatch.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fnwatch.model.Json;
import io.fnwatch.parse.Redactor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response bodies. Firehose requires exactly {@code {"requestId": <as sent>, "timestamp": <ms>}} on success and
 * adds {@code errorMessage} on failure; the other endpoints answer {@code {"accepted": n}} or {@code {"error": …}}.
 */
final class Responses {

    private static final Redactor REDACTOR = new Redactor();
    private static final int MAX_ERROR_CHARS = 2048;

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

    static byte[] error(Endpoint endpoint, String requestId, String raw, long now) {
        // a JSON error quotes the body it could not read, and Firehose logs the response of a failed delivery
        String message = REDACTOR.maskedDetail(raw, MAX_ERROR_CHARS);
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
