package io.fnwatch.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every request to the ops HTTP port takes a token of its client address's bucket ({@link OpsLimits}) before it
 * is routed; without one it is answered 429 with {@code Retry-After} at once. The client address is left in a
 * request attribute for the handlers behind (the console's sign-in limit uses the same address).
 */
final class RequestRate extends Handler.Wrapper {

    private static final byte[] REFUSED = "too many requests from this address\n".getBytes(StandardCharsets.UTF_8);

    private final OpsLimits limits;

    RequestRate(Handler next, OpsLimits limits) {
        super(next);
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String client = limits.client(
                request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null,
                request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        request.setAttribute(OpsLimits.CLIENT, client);
        long wait = limits.request(
                client, request.getMethod() + " " + request.getHttpURI().getPath());
        if (wait > 0) {
            response.setStatus(429);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, wait);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, REFUSED.length);
            response.write(true, ByteBuffer.wrap(REFUSED), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
