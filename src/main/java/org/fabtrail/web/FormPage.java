package org.fabtrail.web;

import jakarta.inject.Inject;

/** A page class whose forms write entries as the viewer, through {@link Forms}. */
public abstract class FormPage extends WebPage {

    @Inject
    protected Forms forms;
}
