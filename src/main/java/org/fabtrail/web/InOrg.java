package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Only for members of an organisation: custody entries are made by one, so the operator's staff (who belong to
 * none) get 403. Implies {@link SignedIn}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface InOrg {
}
