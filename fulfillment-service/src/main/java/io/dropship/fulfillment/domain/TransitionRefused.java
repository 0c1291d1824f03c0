package io.dropship.fulfillment.domain;

/** A supplier order was asked to move where its state does not allow (answered 409 at the API). */
public class TransitionRefused extends RuntimeException {

    public TransitionRefused(String message) {
        super(message);
    }
}
