package org.latticare.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import org.fusesource.leveldbjni.JniDBFactory;
import org.latticare.cluster.tls.NodeTls;
import org.latticare.cluster.tls.TlsException;
import org.latticare.cluster.tls.TlsSettings;
import org.latticare.ledger.Block;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.store.ChainTruncation;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.LatticareNode.NodeRefs;
import org.latticare.node.http.HttpFront;

/**
 * One running node: its ActorSystem, its actors and, on a {@code front} node, the HTTP binding.
 *
 * <p>Start-up checks what would otherwise fail obscurely inside the journal: that the data directory
 * is not used by another node (an exclusive lock file beside the journal) and that LevelDB's native
 * library loads.
 */
public final class Node implements AutoCloseable {

  public static final String SYSTEM_NAME = "latticare";

  private final ActorSystem<LatticareNode.Command> system;
  private final NodeRefs refs;
  private final FileChannel lockChannel;
  private Optional<ServerBinding> binding = Optional.empty();

  private Node(ActorSystem<LatticareNode.Command> system, NodeRefs refs, FileChannel lockChannel) {
    this.system = system;
    this.refs = refs;
    this.lockChannel = lockChannel;
  }

  /** Starts the node's ActorSystem and actors; call {@link #join} or {@link #joinSeedNodes} next. */
  public static Node start(Config config) {
    NodeSettings settings = NodeSettings.from(config);
    FileChannel lock = lockDataDirectory(Path.of(config.getString("latticare.data-dir")));
    try {
      checkLevelDbLoads();
      checkTls(TlsSettings.from(config));
      Block genesis = ConsortiumFiles.readGenesis(settings.genesisFile());
      MlDsa65.KeyPair nodeKey = ConsortiumFiles.readKey(settings.nodeKeyFile());
      checkMembership(settings, genesis, nodeKey);
      Optional<ChainTruncation.Applied> truncated = dropBlocksNeverCommitted(settings, config);
      ActorSystem<LatticareNode.Command> system =
          ActorSystem.create(LatticareNode.create(settings, genesis, nodeKey), SYSTEM_NAME, config);
      truncated.ifPresent(applied -> system.log().warn("CHAIN_FORK_DROPPED: node {} dropped blocks {} to {} from its"
              + " replica, which the consortium never committed ({}); they are kept in {}; it follows the committed"
              + " chain from height {}", settings.nodeId(), applied.request().keepHeight() + 1, applied.journalHead(),
          applied.request().reason(), settings.dataDir().resolve(ChainTruncation.DROPPED_DIR),
          applied.request().keepHeight()));
      system.getWhenTerminated().whenComplete((done, failure) -> closeQuietly(lock));
      NodeRefs refs = AskPattern.<LatticareNode.Command, NodeRefs>ask(
              system, LatticareNode.GetRefs::new, settings.askTimeout(), system.scheduler())
          .toCompletableFuture().get(settings.askTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
      awaitChainRecovered(system, refs);
      return new Node(system, refs, lock);
    } catch (StartupException e) {
      closeQuietly(lock);
      throw e;
    } catch (Exception e) {
      closeQuietly(lock);
      throw new StartupException("node " + settings.nodeId() + " did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Applies what the replica asked for before the node restarted: its blocks the consortium never committed leave the
   * journal before anything opens it. A request that cannot be applied stops the node with its code, changing nothing.
   */
  static Optional<ChainTruncation.Applied> dropBlocksNeverCommitted(NodeSettings settings, Config config) {
    try {
      return ChainTruncation.applyPending(settings.dataDir(), ChainReplica.persistenceIdOf(settings.nodeId()),
          Path.of(config.getString("akka.persistence.journal.leveldb.dir")),
          Path.of(config.getString("akka.persistence.snapshot-store.local.dir")), settings.chainIndexDir());
    } catch (IOException | IllegalStateException e) {
      throw new StartupException("node " + settings.nodeId() + " cannot drop the blocks its replica holds that were"
          + " never committed: " + e.getMessage(), e);
    }
  }

  /**
   * The node's TLS material, created from the development CA on first start where that is allowed: checked here so
   * that a missing or foreign certificate stops the node with its own message, not deep inside Artery's start.
   */
  private static void checkTls(TlsSettings tls) {
    if (tls.needsNodeStores()) {
      try {
        NodeTls.ensure(tls);
      } catch (TlsException e) {
        throw new StartupException("node " + tls.nodeId() + " cannot use TLS: " + e.getMessage(), e);
      }
    }
  }

  /** A node must be a member of the consortium its genesis block founds, holding the key listed for it. */
  private static void checkMembership(NodeSettings settings, Block genesis, MlDsa65.KeyPair nodeKey) {
    TxBody.ConsortiumFounded founding = ConsortiumFiles.founding(genesis);
    TxBody.Member member = founding.members().stream().filter(m -> m.nodeId().equals(settings.nodeId())).findFirst()
        .orElseThrow(() -> new StartupException("node " + settings.nodeId() + " is not a member of consortium '"
            + founding.consortium() + "' (its genesis block lists " + founding.members().stream()
            .map(TxBody.Member::nodeId).toList() + ")", null));
    if (!Arrays.equals(member.publicKey(), nodeKey.publicKey())) {
      throw new StartupException("the key in " + settings.nodeKeyFile() + " is not the key the genesis block lists"
          + " for node " + settings.nodeId(), null);
    }
    if (settings.hasRole(NodeSettings.ROLE_PRODUCER) && !member.roles().contains(NodeSettings.ROLE_PRODUCER)) {
      throw new StartupException("node " + settings.nodeId() + " has the cluster role 'producer' but the genesis"
          + " block does not list it as a producer: every replica would refuse its blocks", null);
    }
  }

  /**
   * The replica answers only once it has recovered and checked its chain; a node without it is no node. A full
   * replay (a lost chain index) takes minutes on a long chain: {@code chain.recovery-timeout}.
   */
  private static void awaitChainRecovered(ActorSystem<?> system, NodeRefs refs) {
    Duration within = refs.settings().recoveryTimeout();
    try {
      AskPattern.<ChainReplica.Command, ChainReplica.Head>ask(
              refs.replica(), ChainReplica.GetHead::new, within, system.scheduler())
          .toCompletableFuture().get(within.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new StartupException("the chain replica of node " + refs.settings().nodeId()
          + " did not recover within " + within + "; the log above says why", e);
    }
  }

  /** Serves the HTTP API on this node (it must have the role {@code front}). */
  public ServerBinding serveHttp(String iface, int port) {
    try {
      ServerBinding bound = HttpFront.bind(system, refs, iface, port).toCompletableFuture()
          .get(refs.settings().askTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
      bound.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
      binding = Optional.of(bound);
      return bound;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StartupException(cause.getMessage(), cause);
    }
  }

  public void join(Address address) {
    Cluster.get(system).manager().tell(Join.create(address));
  }

  public void joinSeedNodes(List<Address> seeds) {
    Cluster.get(system).manager().tell(new JoinSeedNodes(seeds));
  }

  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  public ActorSystem<LatticareNode.Command> system() {
    return system;
  }

  public NodeRefs refs() {
    return refs;
  }

  public Optional<ServerBinding> binding() {
    return binding;
  }

  /** Leaves the cluster and stops the node (coordinated shutdown), waiting at most {@code timeout}. */
  public void stop(Duration timeout) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      system.log().warn("Node {} did not stop within {}", refs.settings().nodeId(), timeout);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  private static FileChannel lockDataDirectory(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(dataDir.resolve("node.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StartupException("data directory " + dataDir.toAbsolutePath()
            + " is in use by another node; stop it or choose another --data-dir", null);
      }
      return channel;
    } catch (IOException e) {
      throw new StartupException("cannot use data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static void checkLevelDbLoads() {
    try {
      JniDBFactory.pushMemoryPool(1024);
      JniDBFactory.popMemoryPool();
    } catch (LinkageError e) {
      throw new StartupException("LevelDB's native library did not load (" + e.getMessage() + "). If the"
          + " temporary directory is mounted noexec, point -Dlibrary.leveldbjni.path at an executable directory.", e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  /** A node could not start; the message says why and what to do. */
  public static final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
