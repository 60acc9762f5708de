package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A form that needs no CSRF token: signing in, which opens the session the token belongs to. Every other unsafe
 * request to a page is refused by {@link WebRequestFilter} unless it carries the session's token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CsrfExempt {
}
