package org.latticare.node.http.auth;

import java.util.Optional;

/**
 * What the verifier needs of a request, as the server received it: the method, the target URI as
 * {@link TargetUri} spells it, the three signature headers (empty when absent; repeated field lines
 * already joined with {@code ", "}) and the body bytes.
 */
public record ReceivedRequest(
    String method,
    String targetUri,
    Optional<String> contentDigest,
    Optional<String> signatureInput,
    Optional<String> signature,
    byte[] body) {}
