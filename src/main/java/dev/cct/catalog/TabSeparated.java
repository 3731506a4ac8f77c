package dev.cct.catalog;

import java.util.ArrayList;
import java.util.List;

/** Fields of the line-per-entry files cct keeps for fast listings: tabs, newlines and backslashes escaped. */
final class TabSeparated {
    private TabSeparated() {
    }

    /** Appends one line: the fields escaped, joined by tabs, ended by a newline. */
    static void appendRow(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            out.append(i == 0 ? "" : "\t").append(escape(fields[i]));
        }
        out.append('\n');
    }

    /**
     * The lines of {@code text}, each split into exactly {@code width} unescaped fields; null when a line has another
     * width or the last one lacks its newline, so a damaged file is never half read.
     */
    static List<String[]> rows(String text, int width) {
        List<String[]> rows = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                return null;
            }
            String[] fields = text.substring(at, end).split("\t", -1);
            if (fields.length != width) {
                return null;
            }
            for (int i = 0; i < width; i++) {
                fields[i] = unescape(fields[i]);
            }
            rows.add(fields);
            at = end + 1;
        }
        return rows;
    }

    private static String escape(String field) {
        if (field.indexOf('\\') < 0 && field.indexOf('\t') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
