package io.fnwatch.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP POST a sink wants sent: where, its headers and its body. The transport adds the timeout. */
public record SinkRequest(URI uri, Map<String, String> headers, byte[] body) {

    public SinkRequest {
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Never prints the URI (a Slack webhook URL is itself the secret) nor the headers (signatures). */
    @Override
    public String toString() {
        return "SinkRequest[" + body.length + " bytes]";
    }
}
