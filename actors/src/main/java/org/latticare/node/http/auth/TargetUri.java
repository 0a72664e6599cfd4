package org.latticare.node.http.auth;

import java.net.URI;
import java.util.Locale;

/**
 * The {@code @target-uri} component (RFC 9421 §2.2.2): the effective request URI in one agreed
 * spelling, so that the client, which knows the URI it sent, and the server, which rebuilds it from
 * the request line and {@code Host}, sign and check the same string. Scheme and host are lower-cased,
 * a default port (80 for http, 443 for https) is dropped, an empty path becomes {@code /}; the path
 * and query stay as raw (percent-encoded) text and a fragment, never sent, is dropped.
 */
public final class TargetUri {

  private TargetUri() {}

  public static String of(URI uri) {
    if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("a target URI must be absolute with a host: " + uri);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port == -1
        || scheme.equals("http") && port == 80
        || scheme.equals("https") && port == 443;
    StringBuilder out = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
    if (!defaultPort) {
      out.append(':').append(port);
    }
    String path = uri.getRawPath();
    out.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      out.append('?').append(uri.getRawQuery());
    }
    return out.toString();
  }
}
