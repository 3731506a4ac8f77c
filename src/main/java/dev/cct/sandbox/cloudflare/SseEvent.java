package dev.cct.sandbox.cloudflare;

/**
 * One Server-Sent Event as the wire carried it.
 *
 * @param id   the last event id seen on the stream when this event was dispatched ("" if none yet)
 * @param name the {@code event:} field, "message" when absent
 * @param data the {@code data:} lines joined with '\n'
 */
record SseEvent(String id, String name, String data) {
}
