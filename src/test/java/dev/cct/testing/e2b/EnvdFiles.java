package dev.cct.testing.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.testing.e2b.ConnectRpc.RpcError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** envd's file side: {@code GET/POST /files} (plain HTTP) and the {@code filesystem.Filesystem} RPC service. */
final class EnvdFiles {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private EnvdFiles() {
    }

    /** A {@code /files} failure: integer code JSON, like every envd HTTP error. */
    private static final class FileError extends Exception {
        final int status;

        FileError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static void files(FakeSandbox sandbox, HttpLite.Request request, HttpLite.Exchange exchange) throws IOException {
        String user = request.query("username") == null || request.query("username").isEmpty()
                ? "user" : request.query("username");
        try {
            if (request.method.equals("GET")) {
                download(sandbox, user, request, exchange);
            } else if (request.method.equals("POST")) {
                upload(sandbox, user, request, exchange);
            } else {
                throw new FileError(405, "method not allowed");
            }
        } catch (FileError e) {
            exchange.send(e.status, Map.of("Content-Type", "application/json"),
                    FakeJson.restError(e.status, e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void download(FakeSandbox sandbox, String user, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException, FileError {
        String path = request.query("path");
        Path file = sandbox.resolve(path, user);
        if (!Files.exists(file)) {
            throw new FileError(404, "path '" + path + "' does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new FileError(400, "path '" + path + "' is a directory");
        }
        long size = Files.size(file);
        String range = request.header("range");
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        try (InputStream in = Files.newInputStream(file)) {
            if (m != null && m.matches()) {
                long from = Long.parseLong(m.group(1));
                long to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                if (from >= size || to < from) {
                    throw new FileError(416, "range not satisfiable for a file of " + size + " bytes");
                }
                in.skipNBytes(from);
                exchange.send(206, Map.of("Content-Type", "application/octet-stream",
                        "Content-Range", "bytes " + from + "-" + to + "/" + size), to - from + 1, in);
            } else if (acceptsGzip(request)) {
                OutputStream chunked = exchange.stream(200, Map.of("Content-Type", "application/octet-stream",
                        "Content-Encoding", "gzip"));
                try (GZIPOutputStream gz = new GZIPOutputStream(chunked, 32 * 1024)) {
                    in.transferTo(gz);
                }
            } else {
                exchange.send(200, Map.of("Content-Type", "application/octet-stream"), size, in);
            }
        }
    }

    private static boolean acceptsGzip(HttpLite.Request request) {
        String ae = request.header("accept-encoding");
        return ae != null && ae.toLowerCase(Locale.ROOT).contains("gzip");
    }

    /**
     * multipart/form-data: only parts named {@code file} count; each goes to {@code path} when given,
     * else to the part's filename. application/octet-stream: the body goes to {@code path}.
     */
    private static void upload(FakeSandbox sandbox, String user, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException, FileError {
        String contentType = request.header("content-type") == null ? "" : request.header("content-type");
        String path = request.query("path");
        String encoding = request.header("content-encoding");
        InputStream body = encoding != null && encoding.equalsIgnoreCase("gzip")
                ? new GZIPInputStream(request.body, 64 * 1024) : request.body;
        ArrayNode written = FakeJson.MAPPER.createArrayNode();
        if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            String boundary = MultipartReader.boundary(contentType);
            if (boundary == null) {
                throw new FileError(400, "multipart body without a boundary");
            }
            MultipartReader parts = new MultipartReader(body, boundary);
            Map<String, String> headers;
            while ((headers = nextPart(parts)) != null) {
                String disposition = headers.getOrDefault("content-disposition", "");
                if (!"file".equals(param(disposition, "name"))) {
                    continue;
                }
                String target = path != null && !path.isEmpty() ? path : param(disposition, "filename");
                if (target == null || target.isEmpty()) {
                    throw new FileError(400, "a file part needs a filename or the path parameter");
                }
                Path file = sandbox.resolve(target, user);
                try (OutputStream out = create(file)) {
                    parts.copyPart(out);
                }
                written.add(writeInfo(sandbox, file));
            }
        } else {
            if (path == null || path.isEmpty()) {
                throw new FileError(400, "an octet-stream upload needs the path parameter");
            }
            Path file = sandbox.resolve(path, user);
            try (OutputStream out = create(file)) {
                body.transferTo(out);
            }
            written.add(writeInfo(sandbox, file));
        }
        exchange.send(200, Map.of("Content-Type", "application/json"),
                FakeJson.write(written).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> nextPart(MultipartReader parts) throws IOException, FileError {
        try {
            return parts.nextPart();
        } catch (MultipartReader.MalformedException e) {
            throw new FileError(400, e.getMessage());
        }
    }

    private static OutputStream create(Path file) throws IOException, FileError {
        if (Files.isDirectory(file)) {
            throw new FileError(400, "path '" + file.getFileName() + "' is a directory");
        }
        Files.createDirectories(file.getParent());
        return Files.newOutputStream(file);
    }

    private static ObjectNode writeInfo(FakeSandbox sandbox, Path file) {
        return FakeJson.object().put("path", sandbox.virtualPath(file)).put("name", file.getFileName().toString())
                .put("type", "file");
    }

    /** A parameter of a Content-Disposition header, unquoted. */
    private static String param(String header, String name) {
        Matcher m = Pattern.compile("(?:^|;)\\s*" + name + "=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;]*)").matcher(header);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(1).trim();
    }

    // ---- filesystem.Filesystem ----

    static void rpc(String method, FakeSandbox sandbox, String user, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException {
        try {
            JsonNode message = ConnectRpc.readUnary(request);
            ConnectRpc.sendUnary(exchange, call(method, sandbox, user, message));
        } catch (RpcError e) {
            ConnectRpc.sendUnaryError(exchange, e);
        }
    }

    private static ObjectNode call(String method, FakeSandbox sandbox, String user, JsonNode message)
            throws IOException, RpcError {
        ObjectNode response = FakeJson.object();
        switch (method) {
            case "Stat": {
                Path p = existing(sandbox, message.path("path").asText(), user);
                response.set("entry", entry(sandbox, p));
                return response;
            }
            case "MakeDir": {
                Path p = sandbox.resolve(message.path("path").asText(), user);
                if (Files.isDirectory(p)) {
                    throw new RpcError("already_exists", "directory '" + message.path("path").asText() + "' already exists");
                }
                try {
                    Files.createDirectories(p);
                } catch (FileAlreadyExistsException e) {
                    throw new RpcError("invalid_argument", "path '" + message.path("path").asText() + "' exists and is not a directory");
                }
                response.set("entry", entry(sandbox, p));
                return response;
            }
            case "ListDir": {
                Path p = existing(sandbox, message.path("path").asText(), user);
                if (!Files.isDirectory(p)) {
                    throw new RpcError("invalid_argument", "path '" + message.path("path").asText() + "' is not a directory");
                }
                int depth = Math.max(1, message.path("depth").asInt(1));
                ArrayNode entries = response.putArray("entries");
                try (Stream<Path> walk = Files.walk(p, depth)) {
                    walk.filter(e -> !e.equals(p)).sorted().forEach(e -> entries.add(entry(sandbox, e)));
                }
                return response;
            }
            case "Remove": {
                Path p = sandbox.resolve(message.path("path").asText(), user);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> walk = Files.walk(p)) {
                        for (Path e : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                            Files.delete(e);
                        }
                    }
                }
                return response;
            }
            case "Move": {
                Path from = existing(sandbox, message.path("source").asText(), user);
                Path to = sandbox.resolve(message.path("destination").asText(), user);
                Files.createDirectories(to.getParent());
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                response.set("entry", entry(sandbox, to));
                return response;
            }
            default:
                throw new RpcError("unimplemented", "filesystem.Filesystem/" + method + " is not implemented by the fake");
        }
    }

    private static Path existing(FakeSandbox sandbox, String path, String user) throws RpcError {
        Path p = sandbox.resolve(path, user);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new RpcError("not_found", "path '" + path + "' does not exist");
        }
        return p;
    }

    /** EntryInfo in proto3 JSON: enums by name, int64 size as a string, timestamps in RFC 3339. */
    private static ObjectNode entry(FakeSandbox sandbox, Path p) {
        ObjectNode e = FakeJson.object();
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String type = a.isSymbolicLink() ? "FILE_TYPE_SYMLINK" : a.isDirectory() ? "FILE_TYPE_DIRECTORY" : "FILE_TYPE_FILE";
            Set<PosixFilePermission> perms = a.permissions();
            e.put("name", p.getFileName().toString());
            e.put("type", type);
            e.put("path", sandbox.virtualPath(p));
            e.put("size", Long.toString(a.size()));
            e.put("mode", mode(perms));
            e.put("permissions", (a.isDirectory() ? "d" : a.isSymbolicLink() ? "L" : "-") + PosixFilePermissions.toString(perms));
            e.put("owner", a.owner().getName());
            e.put("group", a.group().getName());
            e.put("modifiedTime", a.lastModifiedTime().toInstant().toString());
            if (a.isSymbolicLink()) {
                e.put("symlinkTarget", Files.readSymbolicLink(p).toString());
            }
        } catch (IOException ex) {
            e.put("name", p.getFileName().toString());
            e.put("path", sandbox.virtualPath(p));
        }
        return e;
    }

    private static int mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return mode;
    }
}
