package dev.cct.core;

import java.util.Locale;
import java.util.Optional;

/** How cct reports: readable text, Claude's raw NDJSON events, or one final JSON object. */
public enum OutputFormat {
    TEXT("text"), STREAM_JSON("stream-json"), JSON("json");

    private final String flag;

    OutputFormat(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    public static Optional<OutputFormat> parse(String text) {
        for (OutputFormat f : values()) {
            if (f.flag.equals(text.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
