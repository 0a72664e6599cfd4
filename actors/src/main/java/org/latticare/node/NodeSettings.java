package org.latticare.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.typesafe.config.Config;

/**
 * The {@code latticare { … }} section, read once when a node starts.
 *
 * @param roles this node's cluster roles ({@code verifier}, {@code producer}, {@code front})
 * @param expectedMembers members that must be Up before the node reports healthy
 */
public record NodeSettings(
    String nodeId,
    String profile,
    Path genesisFile,
    Path nodeKeyFile,
    Set<String> roles,
    String httpInterface,
    int httpPort,
    long maxBodyBytes,
    Duration signatureWindow,
    int maxNonces,
    List<String> openEndpoints,
    Duration askTimeout,
    Duration ringPassTimeout,
    int ringAttempts,
    int snapshotEvery,
    int keepSnapshots,
    Path chainIndexDir,
    int expectedMembers,
    int producerMaxTransactions,
    long producerMaxBlockBytes,
    Duration producerMaxDelay,
    int producerMaxBlocksInFlight,
    int mempoolMaxPending,
    Duration syncInterval,
    Path recordsDir,
    Duration uploadIdle,
    Path dataDir,
    long withholdBlock,
    Duration recoveryTimeout) {

  public static final String ROLE_VERIFIER = "verifier";
  public static final String ROLE_PRODUCER = "producer";
  public static final String ROLE_FRONT = "front";
  public static final Set<String> KNOWN_ROLES = Set.of(ROLE_VERIFIER, ROLE_PRODUCER, ROLE_FRONT);

  public NodeSettings {
    if (!nodeId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("node id '" + nodeId
          + "' must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
    }
    for (String role : roles) {
      if (!KNOWN_ROLES.contains(role)) {
        throw new IllegalArgumentException("unknown role '" + role + "': expected some of " + KNOWN_ROLES);
      }
    }
    roles = Set.copyOf(roles);
    openEndpoints = List.copyOf(openEndpoints);
    if (withholdBlock != 0 && (withholdBlock < 1 || profile.equals("kubernetes"))) {
      throw new IllegalArgumentException("fault-injection.withhold-block is for the fault tests: a height >= 1, never"
          + " in the kubernetes profile");
    }
    if (ringAttempts < 1 || snapshotEvery < 1 || keepSnapshots < 1 || expectedMembers < 1
        || producerMaxTransactions < 1 || producerMaxTransactions > 10_000 || producerMaxBlocksInFlight < 1
        || mempoolMaxPending < 1) {
      throw new IllegalArgumentException("ring.attempts, chain.snapshot-every, chain.keep-snapshots, expected-members,"
          + " producer.max-transactions (at most 10000), producer.max-blocks-in-flight and mempool.max-pending must be at"
          + " least 1");
    }
  }

  public static NodeSettings from(Config config) {
    Config l = config.getConfig("latticare");
    List<String> roles = config.getStringList("akka.cluster.roles");
    return new NodeSettings(
        l.getString("node-id"),
        l.getString("profile"),
        Path.of(l.getString("genesis-file")),
        Path.of(l.getString("node-key-file")),
        Set.copyOf(roles),
        l.getString("http.interface"),
        l.getInt("http.port"),
        l.getBytes("http.max-body"),
        l.getDuration("http.signature-window"),
        l.getInt("http.max-nonces"),
        l.getStringList("http.open-endpoints"),
        l.getDuration("ask-timeout"),
        l.getDuration("ring.pass-timeout"),
        l.getInt("ring.attempts"),
        l.getInt("chain.snapshot-every"),
        l.getInt("chain.keep-snapshots"),
        Path.of(l.getString("chain.index-dir")),
        l.getInt("expected-members"),
        l.getInt("producer.max-transactions"),
        l.getBytes("producer.max-block-bytes"),
        l.getDuration("producer.max-delay"),
        l.getInt("producer.max-blocks-in-flight"),
        l.getInt("mempool.max-pending"),
        l.getDuration("sync.interval"),
        Path.of(l.getString("records.dir")),
        l.getDuration("records.upload-idle"),
        Path.of(l.getString("data-dir")),
        l.getLong("fault-injection.withhold-block"),
        l.getDuration("chain.recovery-timeout"));
  }

  /** These settings with {@code http.open-endpoints} replaced. */
  public NodeSettings withOpenEndpoints(List<String> endpoints) {
    return new NodeSettings(nodeId, profile, genesisFile, nodeKeyFile, roles, httpInterface, httpPort, maxBodyBytes,
        signatureWindow, maxNonces, endpoints, askTimeout, ringPassTimeout, ringAttempts, snapshotEvery, keepSnapshots,
        chainIndexDir, expectedMembers, producerMaxTransactions, producerMaxBlockBytes, producerMaxDelay, producerMaxBlocksInFlight,
        mempoolMaxPending, syncInterval, recordsDir, uploadIdle, dataDir, withholdBlock, recoveryTimeout);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
