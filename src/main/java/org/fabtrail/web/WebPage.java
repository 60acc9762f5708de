package org.fabtrail.web;

import jakarta.inject.Inject;

/**
 * What every page class has: {@link Pages} (the ledger and the read services it asks with the viewer's visibility)
 * and the request's signed-in {@link CurrentViewer}. Page classes extend it, or {@link FormPage} when they write.
 */
public abstract class WebPage {

    @Inject
    protected Pages pages;
    @Inject
    protected CurrentViewer viewer;
}
