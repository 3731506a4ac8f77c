package dev.cct.changes.git;

import dev.cct.changes.Change;
import dev.cct.changes.ChangeSet;
import dev.cct.changes.Contents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/** A change summed up as {@code git diff --stat} does: lines added and removed per path, bytes for binary files. */
public final class DiffStat {
    private final List<Line> lines;

    private record Line(String name, boolean binary, int insertions, int deletions, long oldSize, long newSize) {
        int total() {
            return insertions + deletions;
        }
    }

    private DiffStat(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    public static DiffStat of(ChangeSet change, Contents before, Contents after) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Change c : change.changes()) {
            byte[] a = c.before() == null ? new byte[0] : before.read(c.before());
            byte[] b = c.after() == null ? new byte[0] : after.read(c.after());
            String name = c.kind() == Change.Kind.RENAMED ? c.oldPath() + " => " + c.path() : c.path();
            if (RawText.isBinary(a) || RawText.isBinary(b)) {
                lines.add(new Line(name, true, 0, 0, a.length, b.length));
                continue;
            }
            int insertions = 0;
            int deletions = 0;
            for (Edit edit : edits(a, b)) {
                insertions += edit.getLengthB();
                deletions += edit.getLengthA();
            }
            lines.add(new Line(name, false, insertions, deletions, a.length, b.length));
        }
        return new DiffStat(lines);
    }

    static EditList edits(byte[] a, byte[] b) {
        return DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, new RawText(a), new RawText(b));
    }

    public int files() {
        return lines.size();
    }

    public int insertions() {
        return lines.stream().mapToInt(Line::insertions).sum();
    }

    public int deletions() {
        return lines.stream().mapToInt(Line::deletions).sum();
    }

    /** The stat lines and the totals line, fitted to {@code width} columns as git fits them. */
    public String render(int width) {
        int nameWidth = lines.stream().mapToInt(l -> l.name().length()).max().orElse(0);
        int maxTotal = lines.stream().mapToInt(Line::total).max().orElse(0);
        int countWidth = Math.max(3, Integer.toString(maxTotal).length());
        nameWidth = Math.min(nameWidth, Math.max(10, width / 2));
        int graphWidth = Math.max(1, width - nameWidth - countWidth - 5);
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            String name = line.name().length() <= nameWidth ? line.name()
                    : "..." + line.name().substring(line.name().length() - nameWidth + 3);
            out.append(' ').append(pad(name, nameWidth)).append(" | ");
            if (line.binary()) {
                out.append("Bin ").append(line.oldSize()).append(" -> ").append(line.newSize()).append(" bytes");
            } else {
                out.append(padLeft(Integer.toString(line.total()), countWidth));
                int plus = line.insertions();
                int minus = line.deletions();
                if (maxTotal > graphWidth) {
                    int total = scale(line.total(), maxTotal, graphWidth);
                    plus = Math.min(scale(plus, maxTotal, graphWidth), minus > 0 ? total - 1 : total);
                    minus = total - plus;
                }
                if (plus + minus > 0) {
                    out.append(' ').append("+".repeat(plus)).append("-".repeat(minus));
                }
            }
            out.append('\n');
        }
        out.append(' ').append(files()).append(files() == 1 ? " file changed" : " files changed");
        int insertions = insertions();
        int deletions = deletions();
        if (insertions > 0 || deletions == 0) {
            out.append(", ").append(insertions).append(insertions == 1 ? " insertion(+)" : " insertions(+)");
        }
        if (deletions > 0) {
            out.append(", ").append(deletions).append(deletions == 1 ? " deletion(-)" : " deletions(-)");
        }
        return out.append('\n').toString();
    }

    /** Scaled as git scales the graph: a non-zero count never vanishes. */
    private static int scale(int value, int max, int width) {
        if (value == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.round((double) value * width / max));
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
