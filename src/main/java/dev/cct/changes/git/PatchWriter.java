package dev.cct.changes.git;

import dev.cct.changes.Change;
import dev.cct.changes.ChangeSet;
import dev.cct.changes.Contents;
import dev.cct.changes.FileState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.io.BinaryHunkOutputStream;

/**
 * Writes a change as the patch {@code git diff --binary -M} would print: text hunks with three lines of context,
 * binary files as literal hunks with full blob ids (which {@code git apply} requires for them), deletions and
 * renames as such, modes and symlinks included. Paths are the repository's: the uploaded folder's {@code prefix}
 * comes first.
 */
public final class PatchWriter {
    private static final String NULL_ID = ObjectId.zeroId().name();

    private PatchWriter() {
    }

    public static void write(ChangeSet change, Contents before, Contents after, String prefix, OutputStream out)
            throws IOException {
        for (Change c : change.changes()) {
            FileState a = c.before();
            FileState b = c.after();
            if (a != null && b != null && a.type() != b.type()) {
                // Git shows a file that became a symlink (or back) as one entry removed and another added.
                entry(out, prefix, a.path(), null, a, null, before, after, false);
                entry(out, prefix, null, b.path(), null, b, before, after, false);
            } else {
                entry(out, prefix, a == null ? null : c.oldPath(), b == null ? null : c.path(), a, b, before, after,
                        c.kind() == Change.Kind.RENAMED);
            }
        }
        out.flush();
    }

    private static void entry(OutputStream out, String prefix, String oldPath, String newPath, FileState a, FileState b,
                              Contents before, Contents after, boolean rename) throws IOException {
        String oldName = prefix + (oldPath != null ? oldPath : newPath);
        String newName = prefix + (newPath != null ? newPath : oldPath);
        byte[] oldBytes = a == null ? new byte[0] : before.read(a);
        byte[] newBytes = b == null ? new byte[0] : after.read(b);
        String oldId = a == null ? NULL_ID : Blobs.id(oldBytes).name();
        String newId = b == null ? NULL_ID : Blobs.id(newBytes).name();

        StringBuilder header = new StringBuilder();
        header.append("diff --git ").append(quoted("a/" + oldName)).append(' ').append(quoted("b/" + newName)).append('\n');
        if (a == null) {
            header.append("new file mode ").append(mode(b)).append('\n');
        } else if (b == null) {
            header.append("deleted file mode ").append(mode(a)).append('\n');
        } else if (!mode(a).equals(mode(b))) {
            header.append("old mode ").append(mode(a)).append('\n').append("new mode ").append(mode(b)).append('\n');
        }
        boolean sameContent = a != null && b != null && oldId.equals(newId);
        if (rename) {
            header.append("similarity index ").append(sameContent ? 100 : similarity(oldBytes, newBytes)).append("%\n");
            header.append("rename from ").append(quoted(oldName)).append('\n');
            header.append("rename to ").append(quoted(newName)).append('\n');
        }
        if (!sameContent) {
            header.append("index ").append(oldId).append("..").append(newId);
            if (a != null && b != null && mode(a).equals(mode(b))) {
                header.append(' ').append(mode(a));
            }
            header.append('\n');
        }
        out.write(header.toString().getBytes(StandardCharsets.UTF_8));
        if (sameContent || (oldBytes.length == 0 && newBytes.length == 0)) {
            return;
        }
        if (RawText.isBinary(oldBytes) || RawText.isBinary(newBytes)) {
            out.write("GIT binary patch\n".getBytes(StandardCharsets.US_ASCII));
            literal(out, newBytes);
            literal(out, oldBytes);
            return;
        }
        String names = "--- " + (a == null ? "/dev/null" : quoted("a/" + oldName)) + "\n"
                + "+++ " + (b == null ? "/dev/null" : quoted("b/" + newName)) + "\n";
        out.write(names.getBytes(StandardCharsets.UTF_8));
        DiffFormatter hunks = new DiffFormatter(out);
        hunks.setContext(3);
        hunks.format(DiffStat.edits(oldBytes, newBytes), new RawText(oldBytes), new RawText(newBytes));
        hunks.flush();
    }

    /** One literal hunk: the whole content, deflated, in git's base-85 lines, then the blank line that ends it. */
    private static void literal(OutputStream out, byte[] content) throws IOException {
        out.write(("literal " + content.length + "\n").getBytes(StandardCharsets.US_ASCII));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            deflated.write(buffer, 0, n);
        }
        deflater.end();
        BinaryHunkOutputStream encoded = new BinaryHunkOutputStream(out);
        encoded.write(deflated.toByteArray());
        encoded.flush();
        out.write('\n');
    }

    /** Roughly git's similarity score: the share of lines the two versions have in common. */
    private static int similarity(byte[] a, byte[] b) {
        RawText left = new RawText(a);
        RawText right = new RawText(b);
        int max = Math.max(left.size(), right.size());
        if (max == 0) {
            return 100;
        }
        int changed = 0;
        for (var edit : DiffStat.edits(a, b)) {
            changed += Math.max(edit.getLengthA(), edit.getLengthB());
        }
        return Math.max(0, 100 * (max - changed) / max);
    }

    private static String mode(FileState state) {
        return Integer.toOctalString(Blobs.mode(state).getBits());
    }

    /** A name as git prints it: C-quoted when it holds a control character, a quote, a backslash or non-ASCII bytes. */
    static String quoted(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        boolean plain = true;
        for (byte value : bytes) {
            int c = value & 0xff;
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return name;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (byte value : bytes) {
            int c = value & 0xff;
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\t' -> quoted.append("\\t");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        quoted.append('\\').append(String.format("%03o", c));
                    } else {
                        quoted.append((char) c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
