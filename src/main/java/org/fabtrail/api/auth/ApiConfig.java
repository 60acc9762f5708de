package org.fabtrail.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** API tokens: their rate limits and lifetime. */
@ConfigMapping(prefix = "fabtrail.api")
public interface ApiConfig {
    /** Requests a second each API token may make on average. */
    @WithDefault("200")
    double ratePerSecond();

    /** Requests an API token may make in a burst. */
    @WithDefault("400")
    double rateBurst();

    /** Longest lifetime of a new API token, in days. */
    @WithDefault("365")
    int maxTokenDays();
}
