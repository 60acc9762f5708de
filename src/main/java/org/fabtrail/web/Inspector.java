package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Only for those who inspect and work the discrepancy queue: members of inspector or regulator organisations and
 * the operator's staff ({@link Viewer#isInspector()}). Implies {@link SignedIn}; anyone else gets 403 with the
 * {@link FormMessages} text {@link #value()} names as the reason.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Inspector {
    /** Why others are refused: the key of a {@link FormMessages} text without parameters, for the 403 page. */
    String value();
}
