package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.StreamingBody;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The daemon inside one sandbox: process streams over Connect RPC, and files over plain HTTP. Every request names
 * the sandbox in headers (so a shared host can route it), carries the access token, and picks the user through
 * Basic auth.
 */
final class Envd {
    static final String USER = "user";
    static final String ROOT = "root";
    /** envd sends a keepalive after this many seconds of silence; the streaming read timeout must exceed it. */
    static final int KEEPALIVE_SECONDS = 50;

    private static final MediaType CONNECT_JSON = MediaType.get("application/connect+json");
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final HttpCalls<ApiError> calls;
    private final OkHttpClient streaming;
    private final HttpUrl base;
    private final String sandboxId;
    private final String accessToken;
    private final EnvdVersion version;

    Envd(HttpCalls<ApiError> calls, OkHttpClient streaming, HttpUrl base, String sandboxId, String accessToken, EnvdVersion version) {
        this.calls = calls;
        this.streaming = streaming;
        this.base = base;
        this.sandboxId = sandboxId;
        this.accessToken = accessToken;
        this.version = version;
    }

    EnvdVersion version() {
        return version;
    }

    /** Starts a process; output arrives on the returned stream. */
    ProcessStream start(ProcessSpec spec) {
        Request.Builder request = rpc("process.Process/Start", spec.user())
                .post(RequestBody.create(Envelope.message(spec.startRequest()).encode(), CONNECT_JSON));
        if (spec.timeout() != null) {
            // The process's lifetime: envd kills it then. 0 would mean "already expired".
            request.header("Connect-Timeout-Ms", Long.toString(Math.max(1, spec.timeout().toMillis())));
        }
        return ProcessStream.open(streaming, request.build());
    }

    /** Re-attaches to a running process: a start event, then live output. An exited process answers not_found. */
    ProcessStream connect(Integer pid, String tag, String user) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode selector = root.putObject("process");
        if (pid != null) {
            selector.put("pid", pid);
        } else {
            selector.put("tag", tag);
        }
        byte[] body = Envelope.message(Json.compact(root).getBytes(StandardCharsets.UTF_8)).encode();
        return ProcessStream.open(streaming, rpc("process.Process/Connect", user).post(RequestBody.create(body, CONNECT_JSON)).build());
    }

    /**
     * Writes {@code data} to {@code path} in one request, streaming it: a raw body where envd takes one (0.5.7 and
     * later), multipart otherwise. Parent folders are created; the file belongs to {@code user}.
     */
    void writeFile(String path, InputStream data, String user) throws SandboxException, InterruptedException {
        RequestBody content = new StreamingBody(data, OCTET_STREAM);
        boolean raw = version.atLeast(EnvdVersion.OCTET_STREAM_UPLOAD);
        RequestBody body = raw ? content
                : new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("file", path, content).build();
        Request request = files(path, user).post(body).build();
        try (Response ignored = calls.execute(request, HttpCalls.Safety.ONCE)) {
            // 200 with the written entries: nothing cct needs.
        } catch (CallException e) {
            if (e.error(ApiError.class).status() == 507) {
                throw new SandboxException("the sandbox ran out of disk space while receiving files", e);
            }
            throw E2bErrors.envd("receive the upload", e);
        } catch (IOException e) {
            throw E2bErrors.network("upload files", e);
        }
    }

    /**
     * Opens a file for reading as it downloads. envd may gzip it (always when asked, and Node-style clients
     * always ask); the returned stream is the decoded content. Closing it releases the response.
     *
     * @return null when the file does not exist
     */
    InputStream openFile(String path, String user) throws SandboxException, InterruptedException {
        // The bytes as they are: envd compresses whatever a client asks it to, on the fly, and on results that are
        // binary or already compressed that costs far more than it saves (bench/e2b.sh).
        return read(files(path, user).get().header("Accept-Encoding", "identity").build(), 0, "read " + path);
    }

    /**
     * Reads a file from byte {@code offset} on (a Range request; a server that ignores Range gets the skipped
     * bytes dropped here).
     *
     * @return null when the file does not exist
     */
    InputStream openFileFrom(String path, long offset, String user) throws SandboxException, InterruptedException {
        Request request = files(path, user).get().header("Range", "bytes=" + offset + "-")
                // A range of a gzipped body is ambiguous: ask for the bytes as they are.
                .header("Accept-Encoding", "identity").build();
        return read(request, offset, "read " + path);
    }

    /** Whether the sandbox still answers; false only when the proxy says it is gone. */
    boolean alive() throws InterruptedException {
        Request request = envd(new Request.Builder().url(base.newBuilder().addPathSegment("health").build()), USER).get().build();
        try (Response ignored = calls.execute(request, HttpCalls.Safety.IDEMPOTENT)) {
            return true;
        } catch (CallException e) {
            return !e.error(ApiError.class).sandboxGone();
        } catch (IOException e) {
            return true;
        }
    }

    private InputStream read(Request request, long offset, String action) throws SandboxException, InterruptedException {
        Response response;
        try {
            response = calls.execute(request, HttpCalls.Safety.IDEMPOTENT);
        } catch (CallException e) {
            if (e.error().httpStatus() == 416) {
                return InputStream.nullInputStream();
            }
            if (e.error().notFound() && !e.error(ApiError.class).sandboxGone()) {
                return null;
            }
            throw E2bErrors.envd(action, e);
        } catch (IOException e) {
            throw E2bErrors.network(action, e);
        }
        try {
            InputStream in = response.body().byteStream();
            if ("gzip".equalsIgnoreCase(response.header("Content-Encoding"))) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            if (offset > 0 && response.code() == 200) {
                try {
                    in.skipNBytes(offset);
                } catch (EOFException e) {
                    // The file is shorter than the offset: what a server honouring Range answers with 416.
                    response.close();
                    return InputStream.nullInputStream();
                }
            }
            return in;
        } catch (IOException e) {
            response.close();
            throw E2bErrors.network(action, e);
        }
    }

    private Request.Builder files(String path, String user) {
        HttpUrl url = base.newBuilder().addPathSegment("files").addQueryParameter("path", path)
                .addQueryParameter("username", user).build();
        return envd(new Request.Builder().url(url), user);
    }

    private Request.Builder unaryRpc(String method, String user) {
        return envd(new Request.Builder().url(base.newBuilder().addPathSegments(method).build()), user)
                .header("Connect-Protocol-Version", "1");
    }

    private Request.Builder rpc(String method, String user) {
        return unaryRpc(method, user).header("Keepalive-Ping-Interval", Integer.toString(KEEPALIVE_SECONDS));
    }

    private Request.Builder envd(Request.Builder builder, String user) {
        builder.header("E2b-Sandbox-Id", sandboxId).header("E2b-Sandbox-Port", Integer.toString(E2bConfig.ENVD_PORT))
                // envd picks the user from Basic auth with an empty password; before 0.4.0 it had no default user.
                .header("Authorization", Credentials.basic(user, ""));
        if (accessToken != null) {
            builder.header("X-Access-Token", accessToken);
        }
        return builder;
    }

    @Override
    public String toString() {
        return "Envd[" + sandboxId + " at " + base + ", envd " + version + "]";
    }
}
