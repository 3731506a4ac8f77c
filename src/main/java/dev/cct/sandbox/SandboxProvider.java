package dev.cct.sandbox;

import dev.cct.core.Progress;
import java.util.List;

/** Creates sandboxes of one kind, and finds the ones cct left behind. */
public interface SandboxProvider {

    /** Checks the provider answers and prepares what creation needs (an image, a template). */
    void prepare(Progress progress) throws SandboxException, InterruptedException;

    /** Creates a sandbox carrying {@code labels}; the caller registers it for cleanup at once. */
    Sandbox create(SandboxLabels labels, Progress progress) throws SandboxException, InterruptedException;

    /** Sandboxes of this provider that carry cct's labels. */
    List<SandboxInfo> list() throws SandboxException;

    /** Destroys a sandbox by id. */
    void remove(String id) throws SandboxException;

    /** One sandbox that cct created. */
    record SandboxInfo(String id, String provider, String status, String created, SandboxLabels labels) {
    }
}
