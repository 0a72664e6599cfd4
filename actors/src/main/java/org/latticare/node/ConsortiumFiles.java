package org.latticare.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.latticare.ledger.Block;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.tx.TxBody;

/**
 * The files a consortium starts from: the genesis block (canonical encoding) and each node's or
 * client's ML-DSA-65 key seed, written owner-read-only. Keys are generated here, never committed.
 */
public final class ConsortiumFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private ConsortiumFiles() {}

  /** A node of a consortium to found: its organisation, id and roles. */
  public record Founder(String organisation, String nodeId, List<String> roles) {}

  /** A client identity to enrol at genesis: id, role and organisation. */
  public record Client(String identityId, String role, String organisation) {}

  /**
   * Generates a key per founder ({@code <nodeKeys>/<nodeId>/node.key}) and per client
   * ({@code <clientKeys>/<identityId>.key}) and returns the genesis block listing them. Each founder
   * node is also enrolled as an identity with the role {@code operator}, under its node id.
   */
  public static Block found(String consortium, List<Founder> founders, List<Client> clients, Path nodeKeys,
      Path clientKeys) {
    List<TxBody.Member> members = new ArrayList<>();
    List<TxBody.Identity> identities = new ArrayList<>();
    for (Founder founder : founders) {
      MlDsa65.KeyPair key = MlDsa65.generate();
      writeKey(nodeKeys.resolve(founder.nodeId()).resolve("node.key"), key);
      members.add(new TxBody.Member(founder.organisation(), founder.nodeId(), founder.roles(), key.publicKey()));
      identities.add(new TxBody.Identity(founder.nodeId(), "operator", founder.organisation(), key.publicKey()));
    }
    for (Client client : clients) {
      MlDsa65.KeyPair key = MlDsa65.generate();
      writeKey(clientKeys.resolve(client.identityId() + ".key"), key);
      identities.add(new TxBody.Identity(client.identityId(), client.role(), client.organisation(), key.publicKey()));
    }
    return Block.genesis(new TxBody.ConsortiumFounded(consortium, members, identities));
  }

  public static void writeKey(Path file, MlDsa65.KeyPair key) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.write(file, key.seed());
    } catch (FileAlreadyExistsException e) {
      throw new Node.StartupException("key file " + file + " appeared while it was being written", e);
    } catch (IOException e) {
      throw new Node.StartupException("cannot write key file " + file + ": " + e.getMessage(), e);
    }
  }

  public static MlDsa65.KeyPair readKey(Path file) {
    try {
      return MlDsa65.KeyPair.fromSeed(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new Node.StartupException("cannot read key file " + file.toAbsolutePath() + " (" + e.getMessage()
          + "); `latticare genesis` creates keys, `latticare up` creates its own on first run", e);
    } catch (IllegalArgumentException e) {
      throw new Node.StartupException("key file " + file.toAbsolutePath() + " is not an ML-DSA-65 seed: "
          + e.getMessage(), e);
    }
  }

  public static void writeGenesis(Path file, Block genesis) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, genesis.encode());
    } catch (IOException e) {
      throw new Node.StartupException("cannot write genesis file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Block readGenesis(Path file) {
    try {
      Block genesis = Block.decode(Files.readAllBytes(file));
      if (genesis.height() != 0 || genesis.transactions().size() != 1
          || !(genesis.transactions().get(0).body() instanceof TxBody.ConsortiumFounded)) {
        throw new Node.StartupException(file.toAbsolutePath() + " is a block but not a genesis block", null);
      }
      return genesis;
    } catch (IOException e) {
      throw new Node.StartupException("cannot read genesis file " + file.toAbsolutePath() + " (" + e.getMessage()
          + "); `latticare genesis` writes one, `latticare up` writes its own on first run", e);
    } catch (MalformedEncodingException e) {
      throw new Node.StartupException("genesis file " + file.toAbsolutePath() + " is damaged: " + e.getMessage(), e);
    }
  }

  public static TxBody.ConsortiumFounded founding(Block genesis) {
    return (TxBody.ConsortiumFounded) genesis.transactions().get(0).body();
  }
}
