package dev.cct.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** How cct writes ids, durations, sizes and money, in every command and output format alike. */
public final class Format {
    /** Long enough to be unique among a user's sandboxes, short enough to type; as `docker ps` shows ids. */
    public static final int SHORT_ID_LENGTH = 12;

    private Format() {
    }

    /** A sandbox id as cct shows it and names results folders after it: lower-case letters and digits, 12 at most. */
    public static String shortId(String id) {
        String clean = id.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-z]", "");
        return clean.length() <= SHORT_ID_LENGTH ? clean : clean.substring(0, SHORT_ID_LENGTH);
    }

    /**
     * "850ms", "12.4s", "90s" written as "1m30s", "1h", "1h5m": a deadline and the time a run took read the same
     * way, in the plan and in the summary.
     */
    public static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long seconds = ms / 1000;
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 / 60 != 0) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }

    /** "512 B", "1.5 KB", "12.0 MB", "2.0 GB" (binary units). */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }

    /** Dollars as a plain decimal: to the millionth, without float noise or an exponent ("0.00028", "2.8"). */
    public static String money(double usd) {
        BigDecimal rounded = BigDecimal.valueOf(usd).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }
}
