package org.fabtrail.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The web UI's own settings ({@code fabtrail.web.*}; docs/operators.md). */
@ConfigMapping(prefix = "fabtrail.web")
public interface WebConfig {
    /**
     * Mark the session cookie Secure on every answer. Without it the cookie is Secure when the request came over
     * TLS: directly, or per a trusted proxy's {@code X-Forwarded-Proto} (docs/operators.md).
     */
    @WithDefault("false")
    boolean secureCookie();
}
