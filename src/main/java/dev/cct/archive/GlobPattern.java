package dev.cct.archive;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One exclusion pattern with gitignore-like meaning. Without a '/' it is compared with every segment of a path
 * ("*.log", "dist"); with one it is anchored at the root ("build/**", "src/*.tmp", "/dist"). Either way a match
 * on a folder takes everything under it. "*" and "?" stay within a segment, "**" crosses folders, "[a-z]" and
 * "[!a]" are classes, and a backslash makes the next character literal. A trailing '/' is accepted and ignored,
 * since only names are known here, not whether they are folders.
 */
final class GlobPattern {
    private final String source;
    private final boolean anchored;
    private final Pattern regex;

    private GlobPattern(String source, boolean anchored, Pattern regex) {
        this.source = source;
        this.anchored = anchored;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException with a message fit for the user when the pattern cannot be understood */
    static GlobPattern parse(String pattern) {
        String glob = pattern.strip();
        if (glob.startsWith("!")) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "': negation with '!' is not supported");
        }
        while (glob.endsWith("/") && !glob.endsWith("\\/")) {
            glob = glob.substring(0, glob.length() - 1);
        }
        boolean anchored = glob.contains("/");
        while (glob.startsWith("/")) {
            glob = glob.substring(1);
        }
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "' is empty");
        }
        return new GlobPattern(pattern, anchored, Pattern.compile(toRegex(glob, pattern)));
    }

    /** Whether the clean relative path, or a folder above it, matches. */
    boolean matches(List<String> segments) {
        if (anchored) {
            StringBuilder prefix = new StringBuilder();
            for (String segment : segments) {
                if (prefix.length() > 0) {
                    prefix.append('/');
                }
                prefix.append(segment);
                if (regex.matcher(prefix).matches()) {
                    return true;
                }
            }
            return false;
        }
        return segments.stream().anyMatch(segment -> regex.matcher(segment).matches());
    }

    @Override
    public String toString() {
        return source;
    }

    private static String toRegex(String glob, String original) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && glob.startsWith("**", i)) {
                boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
                boolean segmentEnd = i + 2 == glob.length() || glob.charAt(i + 2) == '/';
                if (segmentStart && i + 2 < glob.length() && glob.charAt(i + 2) == '/') {
                    regex.append("(?:.*/)?"); // "**/" also matches no folder at all: "a/**/b" takes "a/b"
                    i += 3;
                } else if (segmentStart && segmentEnd) {
                    regex.append(".*");
                    i += 2;
                } else {
                    regex.append("[^/]*"); // "a**b" is just "a*b", as in gitignore
                    i += 2;
                }
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else if (c == '[') {
                i = appendClass(glob, i, regex, original);
            } else if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                i += 2;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return regex.toString();
    }

    /** Copies "[...]" as a regex class whose members are all literal; returns the index after ']'. */
    private static int appendClass(String glob, int open, StringBuilder regex, String original) {
        int i = open + 1;
        StringBuilder members = new StringBuilder();
        boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
        if (negated) {
            i++;
        }
        boolean first = true;
        while (i < glob.length() && (glob.charAt(i) != ']' || first)) {
            char c = glob.charAt(i);
            if (c == '/') {
                break;
            }
            if (c == '-' && !first && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
                members.append('-');
            } else {
                members.append(c == '\\' || c == '[' || c == ']' || c == '^' || c == '&' || c == '-' ? "\\" + c : c);
            }
            first = false;
            i++;
        }
        if (i >= glob.length() || glob.charAt(i) != ']') {
            throw new IllegalArgumentException("exclude pattern '" + original + "': '[' without a closing ']'");
        }
        // Like "*", a class never matches the separator.
        regex.append(negated ? "[^/" + members + "]" : "[" + members + "&&[^/]]");
        return i + 1;
    }
}
