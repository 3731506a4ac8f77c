package dev.cct.sandbox.e2b;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version of envd inside a sandbox, which gates features (see the table in protocols/e2b.md). */
record EnvdVersion(int major, int minor, int patch) implements Comparable<EnvdVersion> {
    /** The SDKs refuse anything older: the process and file APIs differ. */
    static final EnvdVersion OLDEST_SUPPORTED = new EnvdVersion(0, 1, 0);
    /** Raw application/octet-stream uploads; older envd only takes multipart. */
    static final EnvdVersion OCTET_STREAM_UPLOAD = new EnvdVersion(0, 5, 7);

    private static final Pattern FORM = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    /** Parses "0.6.13" (a "v" prefix and suffixes such as "-beta" are tolerated); null when unreadable. */
    static EnvdVersion parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        try {
            return new EnvdVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean atLeast(EnvdVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(EnvdVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c == 0 ? Integer.compare(patch, o.patch) : c;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
