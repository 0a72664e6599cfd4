package org.latticare.ledger.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.InMemoryChainIndex;
import org.latticare.ledger.tx.TxBody;

/**
 * What a replica knows of the chain besides the blocks themselves (which stay in the journal): the
 * consortium from the genesis block, enrolled identities, patients, records, studies, the per-patient
 * index, and the most recent blocks; and, through its {@link ChainIndex} (which may live on disk and
 * is not part of a snapshot), used nonces and where each transaction is.
 *
 * <p>{@link #rejectBlock} is the whole validation of a block against this state; {@link #append}
 * applies a block that passed it. Mutable and confined to the replica actor; snapshots copy it.
 *
 * <p>The index may run ahead of this state (a block written to it, then a crash before the state's next
 * snapshot): a nonce counts as used, and a transaction as located, only at a height up to this state's.
 */
public final class LedgerState implements LedgerView {

  /**
   * Blocks kept in memory for the producer, queries and short catch-ups; older ones are read from the
   * journal. Snapshots carry them too, so at 4 MiB blocks this bounds a snapshot's blocks at 128 MiB.
   */
  public static final int RECENT_BLOCKS = 32;

  private final Block genesis;
  private final Map<String, TxBody.Member> members = new HashMap<>();
  private final Registry registry;
  private final ChainIndex index;
  /** The nonces the block being appended uses, gathered as its transactions apply, written to the index with it. */
  private final List<ChainIndex.UsedNonce> appending = new ArrayList<>();
  private Transaction applying;
  private final Map<String, List<Sha3Hash>> patientIndex = new HashMap<>();
  /** Break-glass openings by the organisation of the patient whose record was opened, in chain order. */
  private final Map<String, List<Alert>> alerts = new HashMap<>();
  private final ArrayDeque<Block> recent = new ArrayDeque<>();

  private LedgerState(Block genesis, ChainIndex index) {
    this.genesis = genesis;
    this.registry = new Registry((TxBody.ConsortiumFounded) genesis.transactions().get(0).body());
    this.index = index;
  }

  /** The state after the genesis block, with its index in the heap. */
  public static LedgerState fromGenesis(Block genesis) {
    return fromGenesis(genesis, new InMemoryChainIndex());
  }

  /**
   * The state after the genesis block, which must carry exactly one {@link TxBody.ConsortiumFounded}, over
   * {@code index}; whatever the index holds above height 0 is ignored until this state reaches its height
   * (and written again on the way).
   */
  public static LedgerState fromGenesis(Block genesis, ChainIndex index) {
    if (genesis.height() != 0 || genesis.transactions().size() != 1
        || !(genesis.transactions().get(0).body() instanceof TxBody.ConsortiumFounded founding)) {
      throw new IllegalArgumentException("a genesis block is block 0 with exactly one ConsortiumFounded transaction");
    }
    LedgerState state = new LedgerState(genesis, index);
    founding.members().forEach(member -> state.members.put(member.nodeId(), member));
    state.append(genesis);
    return state;
  }

  // ---- validation ----------------------------------------------------------------------------

  /**
   * Why {@code block} cannot follow the head, or empty when it can: height, link, time, Merkle root
   * and count, a producer listed in the genesis block with the role {@code producer} and its signature,
   * then every transaction's rules (in order, each seeing what the earlier ones add) and signature.
   * Signatures are checked on {@code pool}, in parallel.
   */
  public Optional<String> rejectBlock(Block block, ForkJoinPool pool) {
    return rejectBlock(block, pool, VerifiedSignatures.NONE);
  }

  /**
   * What of {@code block} does not depend on the head: its Merkle root and count match its transactions, and a
   * consortium producer signed it. Enough to tell a block a producer made from a forgery before its turn comes.
   */
  public Optional<String> rejectSigner(Block block) {
    String at = "block " + block.height() + ": ";
    if (block.header().transactionCount() != block.transactions().size()
        || !block.header().merkleRoot().equals(Block.merkleRoot(block.transactions()))) {
      return Optional.of(at + "Merkle root or transaction count does not match its transactions");
    }
    TxBody.Member producer = members.get(block.header().producerId());
    if (producer == null || !producer.roles().contains("producer")) {
      return Optional.of(at + "producer '" + block.header().producerId() + "' is not a consortium producer");
    }
    if (!block.verifySignature(producer.publicKey())) {
      return Optional.of(at + "producer signature of '" + producer.nodeId() + "' does not verify");
    }
    return Optional.empty();
  }

  /**
   * As {@link #rejectBlock(Block, ForkJoinPool)}, skipping the transaction signatures {@code verified} holds for
   * the same bytes under the same key (this node's mempool verified them).
   */
  public Optional<String> rejectBlock(Block block, ForkJoinPool pool, VerifiedSignatures verified) {
    Block head = head();
    String at = "block " + block.height() + ": ";
    if (block.height() != head.height() + 1) {
      return Optional.of(at + "expected height " + (head.height() + 1));
    }
    if (!block.header().previousHash().equals(head.hash())) {
      return Optional.of(at + "does not link to block " + head.height() + " (previous hash "
          + block.header().previousHash() + ", head " + head.hash() + ")");
    }
    if (block.header().timestampMillis() < head.header().timestampMillis()) {
      return Optional.of(at + "is timestamped before block " + head.height());
    }
    Optional<String> unsigned = rejectSigner(block);
    if (unsigned.isPresent()) {
      return unsigned;
    }
    Overlay overlay = new Overlay(this);
    List<byte[]> keys = new ArrayList<>(block.transactions().size());
    for (int i = 0; i < block.transactions().size(); i++) {
      Transaction tx = block.transactions().get(i);
      Optional<Rejection> broken = TransactionRules.check(tx, overlay, block.header().timestampMillis());
      if (broken.isPresent()) {
        return Optional.of(at + "transaction " + i + " (" + tx + "): " + broken.get());
      }
      keys.add(overlay.identity(tx.submitter()).orElseThrow().signingKey());
      TransactionRules.apply(tx, overlay);
    }
    int bad = firstBadSignature(block.transactions(), keys, pool, verified);
    if (bad >= 0) {
      return Optional.of(at + "transaction " + bad + " (" + block.transactions().get(bad) + "): signature does not verify");
    }
    return Optional.empty();
  }

  /** A view over this state that collects additions without changing it. */
  public LedgerView overlay() {
    return new Overlay(this);
  }

  /** Why a transaction would not be accepted in a block timestamped {@code timeMillis}, or empty. */
  public Optional<Rejection> rejectTransaction(Transaction tx, long timeMillis) {
    Optional<Rejection> broken = TransactionRules.check(tx, this, timeMillis);
    if (broken.isPresent()) {
      return broken;
    }
    return tx.verifySignature(registry.identities.get(tx.submitter()).signingKey()) ? Optional.empty()
        : Optional.of(Rejection.of(Rejection.Code.BAD_SIGNATURE, "signature does not verify under the submitter's key"));
  }

  private static int firstBadSignature(List<Transaction> txs, List<byte[]> keys, ForkJoinPool pool,
      VerifiedSignatures verified) {
    try {
      return pool.submit(() -> IntStream.range(0, txs.size()).parallel()
              .filter(i -> !verified.take(txs.get(i).hash(), keys.get(i)) && !txs.get(i).verifySignature(keys.get(i)))
              .min().orElse(-1))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying signatures", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("signature verification failed", e.getCause());
    }
  }

  // ---- applying ------------------------------------------------------------------------------

  /** Applies a block that {@link #rejectBlock} accepted (or the genesis block). */
  public void append(Block block) {
    List<Transaction> txs = block.transactions();
    List<Sha3Hash> hashes = new ArrayList<>(txs.size());
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      applying = tx;
      TransactionRules.apply(tx, this);
      hashes.add(tx.hash());
      patientOf(tx).ifPresent(p -> patientIndex.computeIfAbsent(p, k -> new ArrayList<>()).add(tx.hash()));
      if (tx.body() instanceof TxBody.BreakGlass) {
        String pseudonym = patientOf(tx).orElseThrow();
        alerts.computeIfAbsent(registry.patientOrganisation(pseudonym).orElseThrow(), k -> new ArrayList<>())
            .add(new Alert(pseudonym, PatientTransaction.of(tx, block.height(), i)));
      }
    }
    applying = null;
    index.add(new ChainIndex.BlockEntries(block.height(), List.copyOf(appending), hashes));
    appending.clear();
    recent.addLast(block);
    if (recent.size() > RECENT_BLOCKS) {
      recent.removeFirst();
    }
  }

  /**
   * The patient a transaction concerns, if any: named in its body, or the owner of the record it names.
   * A record's owner never changes, so this holds for a transaction of any block already applied.
   */
  public Optional<String> patientOf(Transaction tx) {
    TxBody body = tx.body();
    if (body instanceof TxBody.PatientEnrolled p) {
      return Optional.of(p.pseudonym());
    } else if (body instanceof TxBody.RecordAnchored r) {
      return Optional.of(r.pseudonym());
    } else if (body instanceof TxBody.IdentityVerified v) {
      return Optional.of(v.pseudonym());
    } else if (body instanceof TxBody.IdentityVerifiedV1 v) {
      return Optional.of(v.pseudonym());
    } else if (body instanceof TxBody.AccessGranted g) {
      return ownerOf(g.recordId());
    } else if (body instanceof TxBody.AccessRevoked r) {
      return ownerOf(r.recordId());
    } else if (body instanceof TxBody.AccessExpired x) {
      return ownerOf(x.recordId());
    } else if (body instanceof TxBody.RecordAccessed a) {
      return ownerOf(a.recordId());
    } else if (body instanceof TxBody.RecordErased e) {
      return ownerOf(e.recordId());
    } else if (body instanceof TxBody.BreakGlass b) {
      return ownerOf(b.recordId());
    }
    return Optional.empty();
  }

  private Optional<String> ownerOf(String recordId) {
    return registry.record(recordId).map(RecordInfo::pseudonym);
  }

  /**
   * The patients an applied block concerns, in the order the block first touches them, each with its
   * transactions in the block. Empty, after one type test per transaction, for a block that concerns no
   * patient.
   */
  public Map<String, List<PatientTransaction>> patientsTouchedBy(Block block) {
    Map<String, List<PatientTransaction>> touched = new LinkedHashMap<>();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      int index = i;
      patientOf(tx).ifPresent(p -> touched.computeIfAbsent(p, k -> new ArrayList<>())
          .add(PatientTransaction.of(tx, block.height(), index)));
    }
    return touched;
  }

  /** For each patient a block just appended touches, in order of first touch: what it changed ({@link PatientChange}). */
  public List<PatientChange> patientChanges(Block block) {
    List<PatientChange> changes = new ArrayList<>();
    patientsTouchedBy(block).forEach((pseudonym, transactions) -> changes.add(new PatientChange(
        patientAccess(pseudonym, transactions.stream().map(PatientTransaction::recordId).filter(Objects::nonNull)
            .distinct().toList()),
        patientSequence(pseudonym), transactions)));
    return changes;
  }

  /** The part of the state that decides access to one patient's records and views. */
  public PatientAccess patientAccess(String pseudonym) {
    return patientAccess(pseudonym, registry.recordsByPatient.getOrDefault(pseudonym, List.of()));
  }

  /**
   * The patient's organisation and only the records {@code touched} names (those of the patient, in
   * the order given), each with every grant on it: what one block changed for the patient
   * ({@link PatientAccess#merge}).
   */
  public PatientAccess patientAccess(String pseudonym, Collection<String> touched) {
    Optional<String> organisation = registry.patientOrganisation(pseudonym);
    if (organisation.isEmpty()) {
      return PatientAccess.unknown(pseudonym);
    }
    List<PatientAccess.RecordAccess> records = new ArrayList<>();
    for (String recordId : touched) {
      RecordInfo record = registry.records.get(recordId);
      if (record != null && record.pseudonym().equals(pseudonym)) {
        records.add(new PatientAccess.RecordAccess(recordId, record.organisation(), record.erased(),
            List.copyOf(registry.grants.getOrDefault(recordId, Map.of()).values())));
      }
    }
    return new PatientAccess(pseudonym, organisation.get(), records);
  }

  /** How many committed transactions concern the patient: the sequence a {@link PatientSlice} counts. */
  public long patientSequence(String pseudonym) {
    return patientIndex.getOrDefault(pseudonym, List.of()).size();
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /**
   * A copy of the state in plain lists, taken on the replica's thread; blocks as canonical bytes. Nonces and
   * locations are in the {@link ChainIndex}, not here (snapshots written before the index had them; reading
   * one ignores them).
   */
  public record Snapshot(byte[] genesis, List<byte[]> recentBlocks, List<TxBody.Identity> identities,
      List<PatientEntry> patients, List<RecordEntry> records, List<GrantEntry> grants, List<String> studies,
      List<PatientIndexEntry> patientIndex, List<AlertEntry> alerts) {}

  /** A break-glass opening of a patient's record: what its hospital's privacy officer is alerted to. */
  public record Alert(String pseudonym, PatientTransaction opening) {}

  /** An organisation's alerts (absent from snapshots taken before break-glass existed: none). */
  public record AlertEntry(String organisation, List<Alert> alerts) {}

  public record PatientEntry(String pseudonym, String organisation) {}

  /** {@code digest} is null in snapshots taken before anchors' digests were kept. */
  public record RecordEntry(String recordId, String pseudonym, String organisation, boolean erased, byte[] digest) {}

  public record GrantEntry(String recordId, String grantee, String policy, long notAfterMillis, boolean revoked) {}

  public record PatientIndexEntry(String pseudonym, List<byte[]> transactionHashes) {}

  public Snapshot toSnapshot() {
    return new Snapshot(
        genesis.encode(),
        recent.stream().map(Block::encode).toList(),
        List.copyOf(registry.identities.values()),
        registry.patients.entrySet().stream().map(e -> new PatientEntry(e.getKey(), e.getValue())).toList(),
        registry.records.entrySet().stream().map(e -> new RecordEntry(e.getKey(), e.getValue().pseudonym(),
            e.getValue().organisation(), e.getValue().erased(),
            e.getValue().digest() == null ? null : e.getValue().digest().bytes())).toList(),
        registry.grants.entrySet().stream().flatMap(e -> e.getValue().values().stream().map(g -> new GrantEntry(
            e.getKey(), g.grantee(), g.policy(), g.notAfterMillis(), g.revoked()))).toList(),
        List.copyOf(registry.studies),
        patientIndex.entrySet().stream()
            .map(e -> new PatientIndexEntry(e.getKey(), e.getValue().stream().map(Sha3Hash::bytes).toList())).toList(),
        alerts.entrySet().stream().map(e -> new AlertEntry(e.getKey(), List.copyOf(e.getValue()))).toList());
  }

  /**
   * The state a snapshot holds, over the index its nonces and locations were written to, which must have
   * reached the snapshot's height (an index behind it lacks them: recover from an older snapshot, or replay).
   */
  public static LedgerState fromSnapshot(Snapshot snapshot, ChainIndex index) {
    Block genesis = Block.decode(snapshot.genesis());
    LedgerState state = new LedgerState(genesis, index);
    state.registry.consortium.members().forEach(member -> state.members.put(member.nodeId(), member));
    snapshot.recentBlocks().forEach(bytes -> state.recent.addLast(Block.decode(bytes)));
    snapshot.identities().forEach(state::addIdentity);
    snapshot.patients().forEach(p -> state.addPatient(p.pseudonym(), p.organisation()));
    snapshot.records().forEach(r -> state.putRecord(r.recordId(),
        new RecordInfo(r.pseudonym(), r.organisation(), r.erased(), r.digest() == null ? null : new Sha3Hash(r.digest()))));
    snapshot.grants().forEach(g -> state.putGrant(g.recordId(),
        new Grant(g.grantee(), g.policy(), g.notAfterMillis(), g.revoked())));
    state.registry.studies.addAll(snapshot.studies());
    if (index.height() < state.height()) {
      throw new IllegalStateException("the chain index reaches height " + index.height() + ", below the snapshot's "
          + state.height() + ": it lacks the nonces and locations of the blocks between");
    }
    snapshot.patientIndex().forEach(p -> state.patientIndex.put(p.pseudonym(),
        new ArrayList<>(p.transactionHashes().stream().map(Sha3Hash::new).toList())));
    if (snapshot.alerts() != null) {
      snapshot.alerts().forEach(a -> state.alerts.put(a.organisation(), new ArrayList<>(a.alerts())));
    }
    return state;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Where this state's nonces and locations are: what a state restored from its snapshot reads them from. */
  ChainIndex index() {
    return index;
  }

  public Block genesis() {
    return genesis;
  }

  public Block head() {
    return recent.getLast();
  }

  public long height() {
    return head().height();
  }

  /** The block at {@code height} if it is among the recent ones kept in memory. */
  public Optional<Block> recentBlock(long height) {
    long oldest = recent.getFirst().height();
    if (height < oldest || height > height()) {
      return Optional.empty();
    }
    int offset = (int) (height - oldest);
    return recent.stream().skip(offset).findFirst();
  }

  /** Where a transaction of this chain is (up to this state's head). */
  public Optional<ChainIndex.TxLocation> location(Sha3Hash transactionHash) {
    return index.location(transactionHash).filter(at -> at.height() <= height());
  }

  /** The break-glass openings of records of {@code organisation}'s patients, in chain order. */
  public List<Alert> alerts(String organisation) {
    return List.copyOf(alerts.getOrDefault(organisation, List.of()));
  }

  public List<Sha3Hash> patientTransactions(String pseudonym) {
    return List.copyOf(patientIndex.getOrDefault(pseudonym, List.of()));
  }

  public Optional<TxBody.Member> member(String nodeId) {
    return Optional.ofNullable(members.get(nodeId));
  }

  public List<TxBody.Member> members() {
    return List.copyOf(members.values());
  }

  public int identityCount() {
    return registry.identities.size();
  }

  // ---- LedgerView: the registers ----------------------------------------------------------

  @Override
  public TxBody.ConsortiumFounded consortium() {
    return registry.consortium();
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    return registry.identity(identityId);
  }

  @Override
  public Optional<String> patientOrganisation(String pseudonym) {
    return registry.patientOrganisation(pseudonym);
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    return registry.record(recordId);
  }

  @Override
  public List<String> recordsOf(String pseudonym) {
    return registry.recordsOf(pseudonym);
  }

  @Override
  public Optional<Grant> grant(String recordId, String grantee) {
    return registry.grant(recordId, grantee);
  }

  @Override
  public Map<String, Grant> grantsOn(String recordId) {
    return registry.grantsOn(recordId);
  }

  @Override
  public boolean hasStudy(String studyId) {
    return registry.hasStudy(studyId);
  }

  @Override
  public boolean nonceUsed(String submitter, long nonce) {
    return index.nonce(submitter, nonce).filter(use -> use.height() <= height()).isPresent();
  }

  @Override
  public void addIdentity(TxBody.Identity identity) {
    registry.addIdentity(identity);
  }

  @Override
  public void addPatient(String pseudonym, String organisation) {
    registry.addPatient(pseudonym, organisation);
  }

  @Override
  public void putRecord(String recordId, RecordInfo record) {
    registry.putRecord(recordId, record);
  }

  @Override
  public void putGrant(String recordId, Grant grant) {
    registry.putGrant(recordId, grant);
  }

  @Override
  public void addStudy(String studyId) {
    registry.addStudy(studyId);
  }

  @Override
  public void useNonce(String submitter, long nonce) {
    if (applying == null || !applying.submitter().equals(submitter) || applying.nonce() != nonce) {
      throw new IllegalStateException("a nonce is used by a transaction of a block being appended");
    }
    appending.add(new ChainIndex.UsedNonce(submitter, nonce, applying.hash()));
  }
}
