package io.fnwatch.ingest.http;

import io.fnwatch.jetty.MinimumBodyRate;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty glue: routes a request to its endpoint, finds the key where that sender puts it, and turns the
 * outcome into a status and body. Bodies are read blocking on the server's bounded thread pool.
 */
final class IngestHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    static final String FIREHOSE_KEY = "X-Amz-Firehose-Access-Key";
    static final String FIREHOSE_REQUEST_ID = "X-Amz-Firehose-Request-Id";
    /** The delivery stream's ARN, which names its region (Firehose HTTP endpoint delivery specification). */
    static final String FIREHOSE_SOURCE_ARN = "X-Amz-Firehose-Source-Arn";

    static final String KEY_HEADER = "X-Fnwatch-Key";

    private final IngestService service;
    private final MeterRegistry meters;

    IngestHandler(IngestService service, MeterRegistry meters) {
        this.service = service;
        this.meters = meters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if ("/healthz".equals(path)) {
            send(request, response, callback, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), 0);
            return true;
        }
        Endpoint endpoint = Endpoint.of(path);
        if (endpoint == null || !"POST".equals(request.getMethod())) {
            int status = endpoint == null ? 404 : 405;
            send(
                    request,
                    response,
                    callback,
                    status,
                    Responses.error(
                            endpoint,
                            null,
                            endpoint == null ? "no such endpoint" : "use POST",
                            System.currentTimeMillis()),
                    0);
            return true;
        }
        serve(endpoint, request, response, callback);
        return true;
    }

    private void serve(Endpoint endpoint, Request request, Response response, Callback callback) {
        // a read waiting on the client fails at the idle timeout; with no read or write pending fnwatch itself is
        // working (Kafka, bounded by ingest.http.kafka.timeout.ms), which is no reason to drop the client
        request.addIdleTimeoutListener(timeout -> false);
        String sentId = request.getHeaders().get(FIREHOSE_REQUEST_ID);
        // echoed in every answer, so an id too long to be one (it is refused) is not sent back
        String requestId = FirehoseRequestIds.echoable(sentId);
        IngestService.Request r = new IngestService.Request(
                endpoint,
                key(endpoint, request),
                Content.Source.asInputStream(request),
                request.getLength(),
                request.getHeaders().get(HttpHeader.CONTENT_ENCODING),
                sentId,
                endpoint == Endpoint.FIREHOSE ? request.getHeaders().get(FIREHOSE_SOURCE_ARN) : null);
        try {
            IngestService.Accepted a = service.ingest(r);
            count(endpoint, 200, a.duplicate() ? "duplicate" : "ok");
            send(request, response, callback, 200, Responses.ok(endpoint, a, System.currentTimeMillis()), 0);
        } catch (IngestProblem p) {
            count(endpoint, p.status(), p.reason());
            send(
                    request,
                    response,
                    callback,
                    p.status(),
                    Responses.error(endpoint, requestId, p.getMessage(), System.currentTimeMillis()),
                    p.retryAfterSeconds());
        } catch (IOException e) {
            if (MinimumBodyRate.isTimeout(e)) {
                // the body came too slowly (or stopped): the rest is not waited for, the connection goes
                count(endpoint, 408, "slow_body");
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                send(
                        request,
                        response,
                        callback,
                        408,
                        Responses.error(
                                endpoint,
                                requestId,
                                "the request body arrived too " + "slowly or stopped",
                                System.currentTimeMillis()),
                        0);
                return;
            }
            count(endpoint, 400, "read");
            send(
                    request,
                    response,
                    callback,
                    400,
                    Responses.error(endpoint, requestId, "could not read the body", System.currentTimeMillis()),
                    0);
        } catch (RuntimeException e) {
            LOG.error("ingest request to {} failed", endpoint.path(), e);
            count(endpoint, 500, "internal");
            send(
                    request,
                    response,
                    callback,
                    500,
                    Responses.error(endpoint, requestId, "internal error", System.currentTimeMillis()),
                    0);
        }
    }

    /**
     * Firehose sends its access key in its own header. Others use {@code Authorization: Bearer}; Pub/Sub push
     * cannot set headers, so its subscription URL may carry {@code ?token=} (kept out of every log line).
     */
    static String key(Endpoint endpoint, Request request) {
        if (endpoint == Endpoint.FIREHOSE) {
            return request.getHeaders().get(FIREHOSE_KEY);
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        String header = request.getHeaders().get(KEY_HEADER);
        if (header != null || endpoint != Endpoint.PUBSUB) {
            return header;
        }
        Fields query = Request.extractQueryParameters(request);
        return query.getValue("token");
    }

    private void count(Endpoint endpoint, int status, String reason) {
        meters.counter(
                        "fnwatch.ingest.requests",
                        "endpoint",
                        endpoint.tag(),
                        "status",
                        String.valueOf(status),
                        "reason",
                        reason)
                .increment();
    }

    private static void send(
            Request request, Response response, Callback callback, int status, byte[] body, long retryAfter) {
        response.setStatus(status);
        // A body left unread (refused before it was read: 401, 429, 413…) makes Jetty drop the connection after
        // the answer. Said up front, a client opens a new one for its next request instead of reusing a pooled
        // connection the server is closing, whose POST would fail with no answer at all.
        if (status != 200 && !request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (retryAfter > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(retryAfter));
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
