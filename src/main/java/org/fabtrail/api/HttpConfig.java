package org.fabtrail.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits against slow and many clients, applied before a request reaches a resource or page (api.HttpLimits;
 * docs/operators.md, "Limits against slow, many and guessing clients"). "Address" is the client's address as
 * Quarkus resolves it (forwarding headers count only from trusted proxies); IPv6 addresses count by their /64.
 */
@ConfigMapping(prefix = "fabtrail.http")
public interface HttpConfig {
    /** Time a request body may take per started KiB, counting one KiB more for the first round trips. */
    @WithDefault("PT2S")
    java.time.Duration bodyTimePerKb();

    /** Longest time any request body may take to arrive; beyond, 408. */
    @WithDefault("PT2M")
    java.time.Duration bodyDeadline();

    /** Most open connections from one address that have sent a request; beyond, 429. */
    @WithDefault("256")
    int maxConnectionsPerAddress();

    /** Most requests from one address between their head and their answer; beyond, 429. */
    @WithDefault("128")
    int maxInFlightPerAddress();

    /** Most requests being worked on (body complete, not yet answered) from all addresses; beyond, 503. */
    @WithDefault("512")
    int maxInFlight();

    /** Most bytes of request bodies held in memory for one address; beyond, 429. */
    @WithDefault("32M")
    io.quarkus.runtime.configuration.MemorySize maxBodyBytesPerAddress();

    /** Most bytes of request bodies held in memory for all addresses; beyond, 503. */
    @WithDefault("128M")
    io.quarkus.runtime.configuration.MemorySize maxBodyBytes();
}
