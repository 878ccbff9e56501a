package io.fnwatch.ingest.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CloudWatch Logs service on 127.0.0.1 speaking the JSON protocol ({@code X-Amz-Target: Logs_20140328.*}):
 * DescribeLogGroups (one group per page), DescribeLogStreams, FilterLogEvents with pagination, scripted empty
 * pages, scripted errors and expirable tokens. It also answers STS AssumeRole and Lambda ListFunctions, so the
 * real SDK clients can be pointed at it for everything the puller does.
 */
final class FakeCloudWatchLogs implements AutoCloseable {

    record Event(String stream, long timestamp, String message, String eventId) {}

    /** One request as received: its operation, body and signature header. */
    record Seen(String operation, JsonNode body, String form, String authorization) {}

    private record Failure(int status, String type) {}

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> arns = new TreeMap<>();
    private final Map<String, List<Event>> events = new TreeMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> functions = new ArrayList<>();
    volatile int pageSize = 10;
    volatile int emptyPagesBefore;
    private int tokenGeneration;
    private long nextId = 1;

    FakeCloudWatchLogs() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void group(String name, String account) {
        arns.put(name, "arn:aws:logs:us-east-1:" + account + ":log-group:" + name + ":*");
        events.putIfAbsent(name, new ArrayList<>());
    }

    /** Adds an event; ids are 56 digits like CloudWatch's, unique across groups. */
    synchronized String event(String group, long timestamp, String message) {
        String id = String.format("%056d", nextId++);
        events.get(group).add(new Event("2026/03/03/[$LATEST]0a1b", timestamp, message, id));
        return id;
    }

    /** Tokens handed out so far are refused from now on, as the service does once they expire. */
    synchronized void expireTokens() {
        tokenGeneration++;
    }

    synchronized void fail(int status, String type, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(new Failure(status, type));
        }
    }

    List<Seen> seen(String operation) {
        return seen.stream().filter(s -> s.operation().equals(operation)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        String target = x.getRequestHeaders().getFirst("X-Amz-Target");
        String auth = x.getRequestHeaders().getFirst("Authorization");
        try (x) {
            if (target != null && target.startsWith("Logs_20140328.")) {
                String op = target.substring("Logs_20140328.".length());
                JsonNode req = JSON.readTree(body);
                seen.add(new Seen(op, req, null, auth));
                logs(x, op, req);
            } else if (x.getRequestURI().getPath().startsWith("/2015-03-31/functions")) {
                seen.add(new Seen("ListFunctions", null, x.getRequestURI().getQuery(), auth));
                send(x, 200, "application/json", JSON.writeValueAsBytes(Map.of("Functions", functions)));
            } else {
                String form = new String(body, StandardCharsets.UTF_8);
                seen.add(new Seen("AssumeRole", null, form, auth));
                send(x, 200, "text/xml", FakeSts.assumeRoleResponse().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private synchronized void logs(HttpExchange x, String op, JsonNode req) throws IOException {
        Failure f = "FilterLogEvents".equals(op) ? failures.poll() : null;
        if (f != null) {
            error(x, f.status(), f.type(), "scripted failure");
        } else if ("FilterLogEvents".equals(op)
                && req.hasNonNull("nextToken")
                && !req.get("nextToken").asText().startsWith("g" + tokenGeneration)) {
            error(x, 400, "InvalidParameterException", "The specified nextToken is invalid.");
        } else {
            ObjectNode out = switch (op) {
                case "DescribeLogGroups" -> describeGroups(req);
                case "DescribeLogStreams" -> describeStreams(req);
                case "FilterLogEvents" -> filter(req);
                default -> null;
            };
            if (out == null) {
                error(x, 400, "UnknownOperationException", op);
            } else {
                send(x, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out));
            }
        }
    }

    private ObjectNode describeGroups(JsonNode req) {
        String prefix = req.path("logGroupNamePrefix").asText("");
        List<String> names =
                arns.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
        int at = req.hasNonNull("nextToken")
                ? Integer.parseInt(req.get("nextToken").asText())
                : 0;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode groups = out.putArray("logGroups");
        if (at < names.size()) {
            groups.addObject()
                    .put("logGroupName", names.get(at))
                    .put("arn", arns.get(names.get(at)))
                    .put("creationTime", 1_700_000_000_000L);
        }
        if (at + 1 < names.size()) {
            out.put("nextToken", String.valueOf(at + 1));
        }
        return out;
    }

    private ObjectNode describeStreams(JsonNode req) {
        List<Event> all = events.getOrDefault(req.path("logGroupName").asText(), List.of());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode streams = out.putArray("logStreams");
        all.stream()
                .max(Comparator.comparingLong(Event::timestamp))
                .ifPresent(e ->
                        streams.addObject().put("logStreamName", e.stream()).put("lastEventTimestamp", e.timestamp()));
        return out;
    }

    /**
     * Token {@code g<generation>o<offset>e<empty pages served>}: empty pages come first, then the next real
     * page; tokens of an older generation are refused.
     */
    private ObjectNode filter(JsonNode req) {
        long from = req.path("startTime").asLong(Long.MIN_VALUE);
        long to = req.path("endTime").asLong(Long.MAX_VALUE);
        List<Event> match = events.getOrDefault(req.path("logGroupName").asText(), List.of()).stream()
                .filter(e -> e.timestamp() >= from && e.timestamp() <= to)
                .sorted(Comparator.comparingLong(Event::timestamp).thenComparing(Event::eventId))
                .toList();
        String token =
                req.hasNonNull("nextToken") ? req.get("nextToken").asText().replaceFirst("^g\\d+", "") : "o0e0";
        int offset = Integer.parseInt(token.substring(1, token.indexOf('e')));
        int empties = Integer.parseInt(token.substring(token.indexOf('e') + 1));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode page = out.putArray("events");
        out.putArray("searchedLogStreams");
        if (empties < emptyPagesBefore) {
            out.put("nextToken", "g" + tokenGeneration + "o" + offset + "e" + (empties + 1));
            return out;
        }
        int end = Math.min(match.size(), offset + pageSize);
        for (Event e : match.subList(Math.min(offset, end), end)) {
            page.addObject()
                    .put("logStreamName", e.stream())
                    .put("timestamp", e.timestamp())
                    .put("message", e.message())
                    .put("ingestionTime", e.timestamp() + 500)
                    .put("eventId", e.eventId());
        }
        if (end < match.size()) {
            out.put("nextToken", "g" + tokenGeneration + "o" + end + "e0");
        }
        return out;
    }

    private static void error(HttpExchange x, int status, String type, String message) throws IOException {
        send(
                x,
                status,
                "application/x-amz-json-1.1",
                JSON.writeValueAsBytes(Map.of("__type", type, "message", message)));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("x-amzn-RequestId", "fake-" + System.nanoTime());
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
