package org.fabtrail.custody;

/** The log operator as an actor: the reserved organisation id its entries are signed as. */
public final class Operator {

    /** {@code payload.actor} of every operator-signed entry; no organisation may register this id. */
    public static final String ID = "operator";

    private Operator() {
    }
}
