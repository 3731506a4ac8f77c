package dev.cct.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Finds the names closest to one a user mistyped. */
public final class Suggestions {
    private Suggestions() {
    }

    public static List<String> closest(String wanted, List<String> candidates, int limit) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String wName = w.substring(w.lastIndexOf('/') + 1);
        record Scored(String id, int score) {
        }
        return candidates.stream()
                .map(id -> {
                    String c = id.toLowerCase(Locale.ROOT);
                    String cName = c.substring(c.lastIndexOf('/') + 1);
                    int score = Math.min(distance(w, c), distance(wName, cName));
                    if (!wName.isEmpty() && (cName.contains(wName) || wName.contains(cName))) {
                        score = Math.min(score, 1);
                    }
                    return new Scored(id, score);
                })
                .filter(s -> s.score() <= Math.max(3, wName.length() / 2))
                .sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::id))
                .limit(limit)
                .map(Scored::id)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
