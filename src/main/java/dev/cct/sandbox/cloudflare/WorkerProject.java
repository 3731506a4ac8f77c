package dev.cct.sandbox.cloudflare;

import dev.cct.core.BundledFiles;
import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Worker project (components/sandbox/cloudflare) that ships inside cct, written out to a folder wrangler can
 * deploy from. The folder is named after a hash of the files, so a second deploy of the same cct reuses it, its
 * node_modules included.
 */
public final class WorkerProject {
    static final String FOLDER = "sandbox/cloudflare/";

    private WorkerProject() {
    }

    /** Writes the bundled project under {@code cacheRoot} (unless already there) and returns its folder. */
    public static Path extract(Path cacheRoot) {
        Map<String, byte[]> files = bundledFiles();
        if (!files.containsKey("package.json") || !files.containsKey("package-lock.json")) {
            throw new CctException(ExitCode.PROVIDER_FAILURE, "this build of cct lacks its Cloudflare Worker project"
                    + " (components/sandbox/cloudflare); rebuild cct, or pass --project with a checkout of it");
        }
        Path target = cacheRoot.resolve("cloudflare-worker-" + hash(files));
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path path = target.resolve(file.getKey()).normalize();
                if (!path.startsWith(target)) {
                    continue; // never outside the folder, whatever a name says
                }
                if (Files.isRegularFile(path) && java.util.Arrays.equals(Files.readAllBytes(path), file.getValue())) {
                    continue;
                }
                Files.createDirectories(path.getParent());
                Path temporary = Files.createTempFile(path.getParent(), ".cct", ".tmp");
                Files.write(temporary, file.getValue());
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new CctException(ExitCode.BAD_INPUT, "cannot write the Worker project to " + target + ": " + e.getMessage()
                    + "; set CCT_CACHE_DIR to a writable folder", e);
        }
        return target;
    }

    private static Map<String, byte[]> bundledFiles() {
        Map<String, byte[]> files = new TreeMap<>(BundledFiles.load().folder(FOLDER));
        // Build output and dependencies of a developer's checkout are not part of the project.
        files.keySet().removeIf(relative -> relative.startsWith("node_modules/") || relative.startsWith(".wrangler/")
                || relative.contains("/node_modules/"));
        return files;
    }

    private static String hash(Map<String, byte[]> files) {
        return BundledFiles.contentHash(files, Map.of()).substring(0, 12);
    }
}
