package org.fabtrail.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Only for those who may manage the organisation named by the path parameter {@code org}: its own org-admins and
 * the operator's staff ({@link OrgAccess}). Implies {@link SignedIn}; an unknown organisation is 404, another's 403.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OrgAdmin {
}
