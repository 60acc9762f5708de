package org.fabtrail.web;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/**
 * The signed-in person of this request, resolved once from the session cookie by {@link WebRequestFilter} before any
 * page handler runs. A handler marked {@link SignedIn} (or one of the stricter marks) reads it with {@link #get()}.
 */
@RequestScoped
public class CurrentViewer {

    private Viewer viewer;

    void set(Viewer viewer) {
        this.viewer = viewer;
    }

    /** The viewer, if the request carries a live session. */
    public Optional<Viewer> find() {
        return Optional.ofNullable(viewer);
    }

    /**
     * The viewer of a handler the filter let through only when signed in.
     *
     * @throws IllegalStateException when there is none: the handler lacks its {@link SignedIn} mark
     */
    public Viewer get() {
        if (viewer == null) {
            throw new IllegalStateException("no signed-in viewer: the page handler is not marked @SignedIn");
        }
        return viewer;
    }
}
