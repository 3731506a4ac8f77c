package dev.cct.archive;

import java.util.ArrayList;
import java.util.List;

/** Helpers for the '/'-separated relative names used inside archives and by exclusion patterns. */
final class EntryNames {
    private EntryNames() {
    }

    /** The meaningful segments of a name: empty and "." segments carry no meaning in tar names, so they are dropped. */
    static List<String> segments(String name) {
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/", -1)) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** A relative name without leading "/" or "./", doubled or trailing slashes. */
    static String clean(String name) {
        return String.join("/", segments(name));
    }

    static String join(String prefix, String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return name.isEmpty() ? prefix : prefix + "/" + name;
    }

    /** Names may come from a hostile archive and end up on a terminal: make control characters visible. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
