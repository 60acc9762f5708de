package org.fabtrail.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.arc.Unremovable;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.quarkus.vertx.http.runtime.ExtendedQuarkusVertxHttpMetrics;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Problem bodies for the requests Vert.x's HTTP codec cannot decode, which no route ever sees: a request line
 * over {@code quarkus.http.limits.max-initial-line-length} ({@code 414 uri-too-long}), headers over
 * {@code quarkus.http.limits.max-header-size} ({@code 431 headers-too-large}), and a malformed request line or
 * header, such as a control character in the path or a header value ({@code 400 bad-request}). Vert.x answers
 * these with an empty body ({@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}).
 *
 * <p>Quarkus creates its HTTP server itself and sets no invalid-request handler, nor offers a hook to set one.
 * Vert.x keeps that handler per connection, and the one place that sees a request's connection before Vert.x
 * picks the handler is the metrics SPI's {@code requestBegin}. So this customizer gives Vert.x a metrics
 * implementation that measures nothing and, for a request that failed to decode, sets that connection's
 * invalid-request handler to {@link #answer}. Vert.x has one metrics implementation: if metrics options with a
 * factory are configured already, they are left alone and these requests keep Vert.x's empty answers (a warning says
 * so at start); a metrics extension added later must be checked with HttpLayerProblemsTest. See ADR 0011.
 */
@Singleton
@Unremovable
public class HttpCodecErrors implements VertxOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(HttpCodecErrors.class);

    @Override
    public void accept(VertxOptions options) {
        MetricsOptions current = options.getMetricsOptions();
        if (current != null && current.isEnabled() && current.getFactory() != null) {
            LOG.warn("Vert.x metrics are provided elsewhere: requests the HTTP codec refuses (414, 431, a malformed "
                    + "request line) are answered with an empty body");
            return;
        }
        options.setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(o -> new Hook()));
    }

    /** Answers a request that failed to decode, as {@link HttpLayer#send} answers any other refusal. */
    static void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        request.response().putHeader(HttpHeaderNames.CONNECTION, "close");
        if (cause instanceof TooLongFrameException && message.startsWith("An HTTP line is larger than")) {
            HttpLayer.send(request, 414, "uri-too-long", "URI Too Long",
                    "The request line is longer than the server accepts; send long values in a body");
        } else if (cause instanceof TooLongFrameException && message.startsWith("HTTP header is larger than")) {
            HttpLayer.send(request, 431, "headers-too-large", "Request Header Fields Too Large",
                    "The request's headers are larger than the server accepts");
        } else {
            HttpLayer.send(request, 400, "bad-request", "Bad Request",
                    "The request is not well-formed HTTP (its request line or a header could not be read; control "
                            + "characters are not allowed in the path or in header values)");
        }
    }

    /** Vert.x metrics that measure nothing; see the class comment. */
    static final class Hook implements VertxMetrics, ExtendedQuarkusVertxHttpMetrics {

        private static final HttpServerMetrics<Void, Void, Void> SERVER = new HttpServerMetrics<>() {
            @Override
            public Void requestBegin(Void socketMetric, HttpRequest request) {
                if (request instanceof HttpServerRequest r && r.decoderResult() != null
                        && r.decoderResult().isFailure() && r.connection() instanceof HttpServerConnection c) {
                    c.invalidRequestHandler(HttpCodecErrors::answer);
                }
                return null;
            }
        };

        @Override
        public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress local) {
            return SERVER;
        }

        /** Quarkus asks for this when {@code quarkus.http.limits.max-connections} is set and metrics are on. */
        @Override
        public ConnectionTracker getHttpConnectionTracker() {
            return NOOP_CONNECTION_TRACKER;
        }
    }
}
