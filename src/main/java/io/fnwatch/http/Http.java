package io.fnwatch.http;

import com.sun.net.httpserver.HttpExchange;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing responses from the JDK's HTTP server: status, content type, body, and the exchange closed. */
final class Http {

    static final String JSON = "application/json";

    private Http() {}

    static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", contentType);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    static void json(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, JSON, Json.bytes(body));
    }

    static void text(HttpExchange x, int status, String body) throws IOException {
        send(x, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Only GET (and HEAD) are served; anything else is answered 405 here. */
    static boolean isRead(HttpExchange x) throws IOException {
        String m = x.getRequestMethod();
        if ("GET".equals(m) || "HEAD".equals(m)) {
            return true;
        }
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        text(x, 405, "method not allowed\n");
        return false;
    }
}
