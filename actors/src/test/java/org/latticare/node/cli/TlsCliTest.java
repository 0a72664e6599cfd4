package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latticare.cluster.tls.CertificateAuthority;
import org.latticare.cluster.tls.NodeTls;
import picocli.CommandLine;

class TlsCliTest {

  @TempDir
  Path dir;

  private static int run(String... args) {
    return new CommandLine(new LatticareCli()).execute(args);
  }

  @Test
  void aCaIssuesNodeMaterialThatLoadsAndChainsToIt() {
    Path ca = dir.resolve("ca");
    Path out = dir.resolve("secret");

    assertThat(run("tls", "ca", "--out", ca.toString(), "--name", "Test consortium CA")).isZero();
    assertThat(run("tls", "node", "--ca", ca.toString(), "--id", "latticare-0", "--host", "latticare-0.latticare-cluster",
        "--out", out.toString())).isZero();

    NodeTls node = NodeTls.load(out.resolve("latticare-0.p12"), out.resolve("latticare-0.trust.p12"),
        out.resolve("latticare-0.password"));
    assertThat(node.ca()).isEqualTo(CertificateAuthority.load(ca).certificate());
    assertThat(node.trustAnchors()).containsExactly(node.ca());
    assertThat(node.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=latticare-0");
  }

  @Test
  void existingMaterialIsNeverOverwritten() {
    Path ca = dir.resolve("ca");
    assertThat(run("tls", "ca", "--out", ca.toString())).isZero();
    assertThat(run("tls", "node", "--ca", ca.toString(), "--id", "n1", "--out", dir.toString())).isZero();
    CertificateAuthority first = CertificateAuthority.load(ca);

    assertThat(run("tls", "ca", "--out", ca.toString())).isEqualTo(TlsCommand.REFUSED);
    assertThat(run("tls", "node", "--ca", ca.toString(), "--id", "n1", "--out", dir.toString()))
        .isEqualTo(TlsCommand.REFUSED);
    assertThat(CertificateAuthority.load(ca).certificate()).isEqualTo(first.certificate());
  }
}
