package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

class TargetUriTest {

  @Test
  void keepsAnExplicitPortPathAndRawQuery() {
    assertThat(TargetUri.of(URI.create("http://127.0.0.1:8080/api/x?y=1&z=a%20b")))
        .isEqualTo("http://127.0.0.1:8080/api/x?y=1&z=a%20b");
  }

  @Test
  void dropsDefaultPortsFragmentsAndCaseOfSchemeAndHost() {
    assertThat(TargetUri.of(URI.create("HTTP://Example.COM:80#top"))).isEqualTo("http://example.com/");
    assertThat(TargetUri.of(URI.create("https://example.com:443/a"))).isEqualTo("https://example.com/a");
  }
}
