package org.latticare.node.records;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.ServiceKey;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientChange;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.ledger.store.RecordStore;
import org.latticare.ledger.store.RecordStore.StoreException;
import org.latticare.ledger.tx.TxType;

/**
 * A node's keeper of its {@link RecordStore}: it writes what a front (this node's or another's) sends
 * it — a record's header and envelopes, its chunks in order, the end of the upload, an envelope for a
 * grant — and does what the chain decides: when a block commits a {@code RecordErased} it erases the
 * record (bytes gone from the store's files), and when it commits an {@code AccessRevoked} or
 * {@code AccessExpired} it deletes that grantee's envelope. On start, and so after any time down, it
 * checks every stored record against the chain and catches up with erasures and revocations it missed.
 *
 * <p>An upload that stops arriving is dropped after {@code idle}; nothing of it was readable. Every
 * refusal is a {@link StoreAck} with the store's code, and changes nothing.
 */
public final class RecordKeeper extends AbstractBehavior<RecordKeeper.Command> {

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "record-keeper");

  public interface Command extends CborSerializable {}

  /** A key envelope travelling with a record (encoded {@code RecordEncryption.Envelope}). */
  public record StoredEnvelope(String granteeId, byte[] envelope) {}

  /** Starts storing a record: its header and its first envelopes. */
  public record Begin(String recordId, String uploader, byte[] header, List<StoredEnvelope> envelopes,
      ActorRef<StoreAck> replyTo) implements Command {}

  /** The record's chunk {@code index}; chunks come in order from 0. */
  public record Append(String recordId, String uploader, int index, byte[] chunk, ActorRef<StoreAck> replyTo)
      implements Command {}

  /** The record had {@code chunks} chunks: make it readable, and answer with its digest. */
  public record Finish(String recordId, String uploader, int chunks, ActorRef<StoreAck> replyTo) implements Command {}

  /** Drop an unfinished upload. */
  public record Abort(String recordId) implements Command {}

  /** Store an envelope of a finished record for a grantee. */
  public record PutEnvelope(String recordId, StoredEnvelope envelope, ActorRef<StoreAck> replyTo) implements Command {}

  /** What this node holds of a finished record, with {@code granteeId}'s envelope: for a node that lacks it. */
  public record GetCopy(String recordId, String granteeId, ActorRef<Copy> replyTo) implements Command {}

  /** A finished record's header, the grantee's envelope (null if none) and manifest; {@code digest} null if not held. */
  public record Copy(String nodeId, String recordId, byte[] header, byte[] envelope, String digest, long bytes, int chunks,
      ActorRef<Command> keeper) implements CborSerializable {}

  /** One chunk of a finished record ({@code chunk} null if it is not held). */
  public record GetChunk(String recordId, int index, ActorRef<ChunkCopy> replyTo) implements Command {}

  public record ChunkCopy(String recordId, int index, byte[] chunk) implements CborSerializable {}

  private record Committed(ChainReplica.BlockCommitted block) implements Command {}

  /** The chain's word on a stored record; {@code status} is null if the replica did not answer (checked at the next start). */
  private record Checked(String recordId, ChainReplica.RecordStatus status) implements Command {}

  private enum DropIdle implements Command { INSTANCE }

  private static final class Open {
    final RecordStore.Upload upload;
    final String uploader;
    final List<StoredEnvelope> envelopes;
    int next;
    long touched;

    Open(RecordStore.Upload upload, String uploader, List<StoredEnvelope> envelopes, long now) {
      this.upload = upload;
      this.uploader = uploader;
      this.envelopes = List.copyOf(envelopes);
      this.touched = now;
    }
  }

  private final ActorContext<Command> context;
  private final String nodeId;
  private final RecordStore store;
  private final ActorRef<ChainReplica.Command> replica;
  private final Duration idle;
  private final ActorRef<ChainReplica.BlockCommitted> subscription;
  private final Map<String, Open> uploads = new HashMap<>();

  public static Behavior<Command> create(String nodeId, RecordStore store, ActorRef<ChainReplica.Command> replica,
      Duration askTimeout, Duration idle) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new RecordKeeper(context, timers, nodeId, store, replica, askTimeout, idle)));
  }

  private RecordKeeper(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId, RecordStore store,
      ActorRef<ChainReplica.Command> replica, Duration askTimeout, Duration idle) {
    super(context);
    this.context = context;
    this.nodeId = nodeId;
    this.store = store;
    this.replica = replica;
    this.idle = idle;
    this.subscription = context.messageAdapter(ChainReplica.BlockCommitted.class, Committed::new);
    replica.tell(new ChainReplica.Subscribe(subscription));
    timers.startTimerWithFixedDelay(DropIdle.INSTANCE, idle);
    // Subscribed first, then checked: a block committed in between is seen at least once (both are idempotent).
    for (String recordId : store.records()) {
      context.ask(ChainReplica.RecordStatus.class, replica, askTimeout,
          replyTo -> new ChainReplica.GetRecord(recordId, replyTo),
          (status, failure) -> new Checked(recordId, status));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Begin.class, this::onBegin)
        .onMessage(Append.class, this::onAppend)
        .onMessage(Finish.class, this::onFinish)
        .onMessage(Abort.class, abort -> {
          Open open = uploads.remove(abort.recordId());
          if (open != null) {
            open.upload.close();
          }
          return this;
        })
        .onMessage(PutEnvelope.class, this::onPutEnvelope)
        .onMessage(GetCopy.class, get -> {
          var manifest = store.manifest(get.recordId());
          get.replyTo().tell(manifest.isEmpty()
              ? new Copy(nodeId, get.recordId(), null, null, null, 0, 0, context.getSelf())
              : new Copy(nodeId, get.recordId(), store.header(get.recordId()).orElse(null),
                  store.envelope(get.recordId(), get.granteeId()).orElse(null), manifest.get().digest().hex(),
                  manifest.get().bytes(), manifest.get().chunks(), context.getSelf()));
          return this;
        })
        .onMessage(GetChunk.class, get -> {
          get.replyTo().tell(new ChunkCopy(get.recordId(), get.index(),
              store.chunk(get.recordId(), get.index()).orElse(null)));
          return this;
        })
        .onMessage(Committed.class, this::onCommitted)
        .onMessage(Checked.class, this::onChecked)
        .onMessageEquals(DropIdle.INSTANCE, this::onDropIdle)
        .onSignal(PreRestart.class, signal -> stopping())
        .onSignal(PostStop.class, signal -> stopping())
        .build();
  }

  private Behavior<Command> onBegin(Begin begin) {
    StoreAck ack = attempt(begin.recordId(), () -> {
      RecordStore.Upload upload = store.begin(begin.recordId(), begin.header());
      uploads.put(begin.recordId(), new Open(upload, begin.uploader(), begin.envelopes(), System.nanoTime()));
    });
    begin.replyTo().tell(ack);
    return this;
  }

  /** The open upload of {@code recordId} by {@code uploader}, or the refusal to answer with. */
  private Object openBy(String recordId, String uploader) {
    Open open = uploads.get(recordId);
    if (open == null) {
      return StoreAck.refused(nodeId, recordId, "NO_UPLOAD", "no upload of '" + recordId + "' is open on " + nodeId);
    }
    return open.uploader.equals(uploader) ? open : StoreAck.refused(nodeId, recordId, "NOT_THE_UPLOADER",
        "the upload of '" + recordId + "' was begun by another identity");
  }

  private Behavior<Command> onAppend(Append append) {
    Object found = openBy(append.recordId(), append.uploader());
    if (found instanceof StoreAck refused) {
      append.replyTo().tell(refused);
      return this;
    }
    Open open = (Open) found;
    if (append.index() != open.next) {
      append.replyTo().tell(StoreAck.refused(nodeId, append.recordId(), "CHUNK_OUT_OF_ORDER",
          "chunk " + append.index() + " of '" + append.recordId() + "' arrived; " + nodeId + " expects chunk " + open.next));
    } else {
      append.replyTo().tell(attempt(append.recordId(), () -> {
        open.upload.append(append.chunk());
        open.next++;
        open.touched = System.nanoTime();
      }));
    }
    return this;
  }

  private Behavior<Command> onFinish(Finish finish) {
    Object found = openBy(finish.recordId(), finish.uploader());
    if (found instanceof StoreAck refused) {
      finish.replyTo().tell(refused);
      return this;
    }
    Open open = (Open) found;
    if (finish.chunks() != open.next) {
      finish.replyTo().tell(StoreAck.refused(nodeId, finish.recordId(), "CHUNK_MISSING",
          nodeId + " holds " + open.next + " chunks of '" + finish.recordId() + "', not " + finish.chunks()));
      return this;
    }
    uploads.remove(finish.recordId());
    try {
      RecordStore.Manifest manifest = open.upload.finish();
      for (StoredEnvelope envelope : open.envelopes) {
        store.putEnvelope(finish.recordId(), envelope.granteeId(), envelope.envelope());
      }
      finish.replyTo().tell(new StoreAck(nodeId, finish.recordId(), null, null, manifest.digest().hex(), manifest.bytes(),
          manifest.chunks()));
    } catch (StoreException refused) {
      finish.replyTo().tell(StoreAck.refused(nodeId, finish.recordId(), refused.code().name(), refused.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onPutEnvelope(PutEnvelope put) {
    put.replyTo().tell(attempt(put.recordId(),
        () -> store.putEnvelope(put.recordId(), put.envelope().granteeId(), put.envelope().envelope())));
    return this;
  }

  /** Erasures and revocations the chain just committed. */
  private Behavior<Command> onCommitted(Committed committed) {
    for (PatientChange change : committed.block().patients()) {
      for (PatientTransaction tx : change.transactions()) {
        if (tx.type() == TxType.RECORD_ERASED) {
          erase(tx.recordId());
        } else if (tx.type() == TxType.ACCESS_REVOKED || tx.type() == TxType.ACCESS_EXPIRED) {
          store.deleteEnvelope(tx.recordId(), tx.grantee());
        }
      }
    }
    return this;
  }

  /** A stored record against the chain, after this keeper was away. */
  private Behavior<Command> onChecked(Checked checked) {
    ChainReplica.RecordStatus status = checked.status();
    if (status == null) {
      context.getLog().warn("The chain did not say whether stored record {} was erased; it is checked at the next start",
          checked.recordId());
      return this;
    }
    if (status.erased()) {
      erase(status.recordId());
      return this;
    }
    for (LedgerView.Grant grant : status.grants()) {
      if (grant.revoked()) {
        store.deleteEnvelope(status.recordId(), grant.grantee());
      }
    }
    return this;
  }

  private void erase(String recordId) {
    Open open = uploads.remove(recordId);
    if (open != null) {
      open.upload.close();
    }
    store.erase(recordId);
    context.getLog().info("Record {} erased from this node's store", recordId);
  }

  private Behavior<Command> onDropIdle() {
    long now = System.nanoTime();
    uploads.entrySet().removeIf(entry -> {
      if (now - entry.getValue().touched > idle.toNanos()) {
        entry.getValue().upload.close();
        context.getLog().info("Upload of record {} dropped after {} without a chunk", entry.getKey(), idle);
        return true;
      }
      return false;
    });
    return this;
  }

  private Behavior<Command> stopping() {
    uploads.values().forEach(open -> open.upload.close());
    uploads.clear();
    replica.tell(new ChainReplica.Unsubscribe(subscription));
    return this;
  }

  private StoreAck attempt(String recordId, Runnable step) {
    try {
      step.run();
      return StoreAck.ok(nodeId, recordId);
    } catch (StoreException refused) {
      return StoreAck.refused(nodeId, recordId, refused.code().name(), refused.getMessage());
    }
  }
}
