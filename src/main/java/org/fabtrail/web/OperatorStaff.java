package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Only for the log operator's staff. Implies {@link SignedIn}; anyone else gets 403 with the {@link FormMessages} text
 * {@link #value()} names.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OperatorStaff {
    /** Why others are refused: the key of a {@link FormMessages} text without parameters, for the 403 page. */
    String value();
}
