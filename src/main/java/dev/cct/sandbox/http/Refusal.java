package dev.cct.sandbox.http;

/** A server's answer that refused a call, as one provider reads its error bodies. */
public interface Refusal {
    int httpStatus();

    /** What was asked for does not exist (or no longer does). */
    boolean notFound();

    /** On one line, for messages; never carries a secret. */
    String describe();
}
