package org.latticare.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.latticare.cluster.tls.CertificateAuthority;
import org.latticare.cluster.tls.NodeTls;
import org.latticare.cluster.tls.TlsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latticare tls}: the consortium's certificate authority for Artery's TLS and the HTTPS front. The CA's
 * directory stays with whoever admits nodes (offline, ideally); each node gets only its own three files.
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
    description = "Create the consortium's TLS certificate authority and issue node certificates.",
    subcommands = {TlsCommand.Ca.class, TlsCommand.Issue.class})
final class TlsCommand implements Runnable {

  /** Exit code for material that exists already or cannot be used. */
  static final int REFUSED = 2;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "ca", mixinStandardHelpOptions = true,
      description = "Create a CA: <out>/ca.p12 (its key), <out>/ca.password (mode 600) and <out>/ca.crt (PEM, for"
          + " HTTPS clients).")
  static final class Ca implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write into (must not hold a ca.p12)")
    Path out;

    @Option(names = "--name", defaultValue = "Latticare consortium CA",
        description = "The CA's common name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() {
      try {
        CertificateAuthority.create(name, Duration.ofDays(days)).save(out);
      } catch (TlsException e) {
        System.err.println("latticare: " + e.getMessage());
        return REFUSED;
      }
      System.out.printf("Created CA '%s' in %s; keep ca.p12 and ca.password with whoever admits nodes%n", name,
          out.toAbsolutePath());
      return 0;
    }
  }

  @Command(name = "node", mixinStandardHelpOptions = true,
      description = "Issue a node's certificate: <out>/<id>.p12 (its key and certificate), <out>/<id>.trust.p12 (the"
          + " CA's certificate only) and <out>/<id>.password (mode 600), as latticare.tls.dir expects them.")
  static final class Issue implements Callable<Integer> {

    @Option(names = "--ca", required = true, description = "The CA's directory (from `latticare tls ca`)")
    Path ca;

    @Option(names = "--id", required = true, description = "Node id (the certificate's CN and a subject alternative name)")
    String nodeId;

    @Option(names = "--host", description = "Host name or IP address clients reach the node at, repeatable")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Directory to write into (the node's latticare.tls.dir)")
    Path out;

    @Option(names = "--days", defaultValue = "397", description = "Validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() {
      Path keyStore = out.resolve(nodeId + ".p12");
      Path trustStore = out.resolve(nodeId + ".trust.p12");
      Path password = out.resolve(nodeId + ".password");
      try {
        CertificateAuthority authority = CertificateAuthority.load(ca);
        NodeTls.write(authority.issue(nodeId, hosts, Duration.ofDays(days)), keyStore, trustStore, password);
        NodeTls issued = NodeTls.load(keyStore, trustStore, password);
        System.out.printf("Issued %s (valid until %s) by %s: %s, %s, %s%n",
            issued.certificate().getSubjectX500Principal().getName(), issued.certificate().getNotAfter().toInstant(),
            issued.ca().getSubjectX500Principal().getName(), keyStore, trustStore, password);
        return 0;
      } catch (TlsException e) {
        System.err.println("latticare: " + e.getMessage());
        return REFUSED;
      }
    }
  }
}
