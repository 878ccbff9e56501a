package io.fnwatch.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 playing a receiver (Slack, PagerDuty, Alertmanager, a webhook): it records
 * every request (path, headers, body) and answers from a script: 200 by default, or queued answers such as
 * 500, 429 with Retry-After, or hanging until closed.
 */
final class Receiver implements AutoCloseable {

    /** One recorded request; header names lower-cased; {@code answered}: the status sent (0: hung). */
    record Request(String path, Map<String, String> headers, String body, int answered) {}

    /** One scripted answer; {@code hang}: never answers (until the server closes). */
    record Answer(int status, String body, String retryAfter, boolean hang) {
        static Answer ok() {
            return new Answer(200, "ok", null, false);
        }

        static Answer status(int status) {
            return new Answer(status, "error " + status, null, false);
        }

        static Answer retryAfter(int status, String value) {
            return new Answer(status, "slow down", value, false);
        }

        static Answer hanging() {
            return new Answer(0, "", null, true);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Answer fallback = Answer.ok();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Answer answer;
            synchronized (this) {
                answer = script.isEmpty() ? fallback : script.poll();
                requests.add(new Request(
                        exchange.getRequestURI().getPath(),
                        headers,
                        new String(body, StandardCharsets.UTF_8),
                        answer.hang() ? 0 : answer.status()));
                notifyAll();
            }
            if (answer.hang()) {
                try {
                    closing.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers given in order, before the fallback. */
    synchronized Receiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** The answer once the script is used up. */
    synchronized Receiver always(Answer answer) {
        fallback = answer;
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
