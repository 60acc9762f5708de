package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page (a class: all its handlers) only for signed-in people: without a live session, {@link WebRequestFilter}
 * answers with the sign-in page, coming back here afterwards.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SignedIn {
}
