package org.latticare.node.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.node.LruCache;

/**
 * Admission of transactions on one node: decodes each, checks that its submitter is enrolled and its
 * role may submit the type, verifies its signature (on the shared crypto pool, off this actor's
 * thread) and hands what passes to the {@link BlockProducer}, which deduplicates and orders. What
 * passes is sent in batches: at once when no other admission is under way (so a lone transaction
 * never waits), otherwise once {@link #BATCH_BYTES} have gathered, since the producer usually lives on
 * another node; a batch stays well inside Artery's ordinary frame (256 KiB; a transaction is at most
 * 64 KiB). Refusals
 * carry their reason, and every submission gets an answer: the producer's, or after a timeout an
 * {@code UNAVAILABLE} saying the outcome is unknown. Submitters' keys are looked up in this node's replica once and cached.
 */
public final class Mempool extends AbstractBehavior<Mempool.Command> {

  /** Submitters whose keys are kept: a consortium's active clients, with room to spare. */
  static final int KEY_CACHE = 10_000;

  public interface Command extends CborSerializable {}

  /** A transaction in its canonical encoding; the answer comes once it is committed or refused. */
  public record Submit(byte[] transaction, ActorRef<SubmitResult> replyTo) implements Command {}

  private record KeyLoaded(Transaction tx, byte[] bytes, ActorRef<SubmitResult> replyTo,
      ChainReplica.IdentityKey key, String error) implements Command {}

  private record Verified(Transaction tx, byte[] bytes, ActorRef<SubmitResult> replyTo, byte[] key, boolean valid)
      implements Command {}

  private record ProducerAnswered(BlockProducer.Outcomes outcomes) implements Command {}

  /** A transaction refused as a replay of its nonce, and where the replica found those very bytes, if anywhere. */
  private record ReplayLocated(SubmitResult refusal, List<ActorRef<SubmitResult>> replyTo,
      ChainReplica.TransactionProof found) implements Command {}

  /** Periodic: answers the submissions whose producer answer is overdue. */
  private enum SweepOverdue implements Command { INSTANCE }

  /** Who waits for a transaction's outcome, and until when the producer has to answer. */
  private record Awaiting(List<ActorRef<SubmitResult>> replyTo, long deadlineNanos) {}

  private final ActorRef<ChainReplica.Command> replica;
  private final ActorRef<BlockProducer.Command> producer;
  private final ExecutorService crypto;
  private final Duration askTimeout;
  private final int maxInAdmission;
  /** Submitters' keys, bounded: an enrolled identity's key never changes (identities cannot be revoked yet). */
  private final LruCache<String, ChainReplica.IdentityKey> keys = new LruCache<>(KEY_CACHE);
  /** Shared with this node's replica, which then does not verify the same bytes again. */
  private final VerifiedSignatures verifiedSignatures;
  /** In admission order, which is deadline order: the sweep stops at the first not yet due. */
  private final LinkedHashMap<String, Awaiting> awaiting = new LinkedHashMap<>();
  private final Duration answerTimeout;
  private final ActorRef<BlockProducer.Outcomes> answers;
  private final List<BlockProducer.Admitted> admitted = new ArrayList<>();
  private long admittedBytes;
  private int inAdmission;

  /** Bytes of admitted transactions sent to the producer in one message while more admissions are under way. */
  static final int BATCH_BYTES = 96 * 1024;

  public static Behavior<Command> create(ActorRef<ChainReplica.Command> replica,
      ActorRef<BlockProducer.Command> producer, ExecutorService crypto, Duration askTimeout, int maxInAdmission,
      VerifiedSignatures verifiedSignatures) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Mempool(context, timers, replica, producer, crypto, askTimeout, maxInAdmission, verifiedSignatures)));
  }

  private Mempool(ActorContext<Command> context, TimerScheduler<Command> timers, ActorRef<ChainReplica.Command> replica,
      ActorRef<BlockProducer.Command> producer, ExecutorService crypto, Duration askTimeout, int maxInAdmission,
      VerifiedSignatures verifiedSignatures) {
    super(context);
    this.verifiedSignatures = verifiedSignatures;
    // a block waits at most the producer's delay, then one round of appends, each bounded by askTimeout
    this.answerTimeout = askTimeout.multipliedBy(2);
    // one timer for all submissions rather than one each: an overdue answer is given within a tenth of the timeout
    timers.startTimerWithFixedDelay(SweepOverdue.INSTANCE, answerTimeout.dividedBy(10));
    this.answers = context.messageAdapter(BlockProducer.Outcomes.class, ProducerAnswered::new);
    this.replica = replica;
    this.producer = producer;
    this.crypto = crypto;
    this.askTimeout = askTimeout;
    this.maxInAdmission = maxInAdmission;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(KeyLoaded.class, this::onKeyLoaded)
        .onMessage(Verified.class, this::onVerified)
        .onMessage(ProducerAnswered.class, this::onProducerAnswered)
        .onMessage(ReplayLocated.class, this::onReplayLocated)
        .onMessageEquals(SweepOverdue.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    Transaction tx;
    try {
      tx = Transaction.decode(submit.transaction());
    } catch (MalformedEncodingException e) {
      submit.replyTo().tell(SubmitResult.refused(Sha3Hash.of(submit.transaction()).hex(),
          Rejection.of(Rejection.Code.MALFORMED, "malformed transaction: " + e.getMessage())));
      return this;
    }
    if (inAdmission >= maxInAdmission) {
      submit.replyTo().tell(SubmitResult.busy(tx.hash().hex(), "this node's mempool is full; retry later"));
      return this;
    }
    inAdmission++;
    ChainReplica.IdentityKey key = keys.get(tx.submitter()).orElse(null);
    if (key != null) {
      return admit(tx, submit.transaction(), submit.replyTo(), key);
    }
    getContext().askWithStatus(ChainReplica.IdentityKey.class, replica, askTimeout,
        replyTo -> new ChainReplica.GetIdentity(tx.submitter(), replyTo),
        (found, failure) -> new KeyLoaded(tx, submit.transaction(), submit.replyTo(), found,
            failure == null ? null : failure.getMessage()));
    return this;
  }

  private Behavior<Command> onKeyLoaded(KeyLoaded loaded) {
    if (loaded.key() == null) {
      admissionDone();
      loaded.replyTo().tell(SubmitResult.refused(loaded.tx().hash().hex(), Rejection.of(Rejection.Code.UNKNOWN_SUBMITTER, loaded.error())));
      return this;
    }
    keys.put(loaded.key().identityId(), loaded.key());
    return admit(loaded.tx(), loaded.bytes(), loaded.replyTo(), loaded.key());
  }

  private Behavior<Command> admit(Transaction tx, byte[] bytes, ActorRef<SubmitResult> replyTo,
      ChainReplica.IdentityKey key) {
    if (!tx.type().maySubmit(key.role())) {
      admissionDone();
      replyTo.tell(SubmitResult.refused(tx.hash().hex(), Rejection.of(Rejection.Code.ROLE_NOT_ALLOWED,
          "a " + key.role() + " may not submit " + tx.type())));
      return this;
    }
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> tx.verifySignature(key.publicKey()), crypto),
        (valid, failure) -> new Verified(tx, bytes, replyTo, key.publicKey(), failure == null && valid));
    return this;
  }

  private Behavior<Command> onVerified(Verified verified) {
    Transaction tx = verified.tx();
    if (!verified.valid()) {
      verified.replyTo().tell(SubmitResult.refused(tx.hash().hex(), Rejection.of(Rejection.Code.BAD_SIGNATURE,
          "signature does not verify under the key of '" + tx.submitter() + "'")));
    } else {
      // this node's replica will find it and not verify these bytes again; every other replica will
      verifiedSignatures.record(tx.hash(), verified.key());
      String hash = tx.hash().hex();
      Awaiting waiting = awaiting.get(hash);
      if (waiting != null) {
        waiting.replyTo().add(verified.replyTo());
      } else {
        awaiting.put(hash, new Awaiting(new ArrayList<>(List.of(verified.replyTo())),
            System.nanoTime() + answerTimeout.toNanos()));
        admitted.add(new BlockProducer.Admitted(verified.bytes(), hash, tx.submitter(), tx.nonce()));
        admittedBytes += verified.bytes().length;
      }
    }
    admissionDone();
    return this;
  }

  /** One admission finished, either way: send what was admitted if nothing else is being admitted or a batch is full. */
  private void admissionDone() {
    inAdmission--;
    if (!admitted.isEmpty() && (inAdmission == 0 || admittedBytes >= BATCH_BYTES)) {
      producer.tell(new BlockProducer.Enqueue(List.copyOf(admitted), answers));
      admitted.clear();
      admittedBytes = 0;
    }
  }

  private Behavior<Command> onProducerAnswered(ProducerAnswered answered) {
    for (SubmitResult result : answered.outcomes().results()) {
      Awaiting waiting = awaiting.remove(result.transactionHash());
      if (waiting == null) {
        continue;
      }
      if (result.outcome() == SubmitResult.Outcome.REFUSED
          && Rejection.Code.NONCE_REPLAYED.name().equals(result.code())) {
        // the same bytes sent again (a client whose first answer was lost) are on chain: that is their outcome
        getContext().askWithStatus(ChainReplica.TransactionProof.class, replica, askTimeout,
            replyTo -> new ChainReplica.GetTransaction(result.transactionHash(), replyTo),
            (found, failure) -> new ReplayLocated(result, waiting.replyTo(), found));
      } else {
        waiting.replyTo().forEach(w -> w.tell(result));
      }
    }
    return this;
  }

  private Behavior<Command> onReplayLocated(ReplayLocated located) {
    SubmitResult answer = located.found() == null ? located.refusal()
        : SubmitResult.committed(located.refusal().transactionHash(), located.found().height(),
            located.found().blockHash());
    located.replyTo().forEach(w -> w.tell(answer));
    return this;
  }

  /**
   * The producer did not answer (its node was lost with the transaction in its queue, say): the
   * submitter hears so rather than nothing, and learns the outcome is unknown.
   */
  private Behavior<Command> onSweep() {
    long now = System.nanoTime();
    Iterator<Map.Entry<String, Awaiting>> entries = awaiting.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, Awaiting> entry = entries.next();
      if (entry.getValue().deadlineNanos() - now > 0) {
        break;
      }
      entries.remove();
      SubmitResult unknown = SubmitResult.unknown(entry.getKey(), "no answer from the block producer within "
          + answerTimeout.toMillis() + " ms; look the transaction up by hash before resubmitting");
      entry.getValue().replyTo().forEach(w -> w.tell(unknown));
    }
    return this;
  }
}
