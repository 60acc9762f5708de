package org.fabtrail.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Throttled guessing (api.auth.GuessThrottle): failed authentications allowed per client address and per
 * presented credential (a token's first characters, a sign-in's username) within a window, per instance.
 */
@ConfigMapping(prefix = "fabtrail.auth")
public interface AuthConfig {
    /** Failed authentications from one address within the window before it must wait (429). */
    @WithDefault("30")
    int failuresPerAddress();

    /** Failed authentications with one token prefix or username within the window before it must wait. */
    @WithDefault("5")
    int failuresPerCredential();

    /** The window: the allowance of failures refills evenly over it. */
    @WithDefault("PT15M")
    java.time.Duration failureWindow();
}
