package dev.cct.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds archives entry by entry, names kept verbatim (absolute ones too), to play a hostile sandbox. */
final class HandMadeTar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

    HandMadeTar() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    HandMadeTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    HandMadeTar file(String name, byte[] content, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setMode(mode);
        entry.setSize(content.length);
        return put(entry, content);
    }

    HandMadeTar directory(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        return put(entry, null);
    }

    HandMadeTar symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    HandMadeTar hardLink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    HandMadeTar special(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        return put(entry, null);
    }

    InputStream stream() {
        try {
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private HandMadeTar link(String name, String target, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        return put(entry, null);
    }

    private HandMadeTar put(TarArchiveEntry entry, byte[] content) {
        try {
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
