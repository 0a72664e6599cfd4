package org.latticare.node.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import akka.actor.ExtendedActorSystem;
import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.replica.CanonicalMessageSerializer;
import org.latticare.node.chain.BlockProducer.Admitted;
import org.latticare.node.chain.BlockProducer.Enqueue;
import org.latticare.node.chain.BlockProducer.Outcomes;

/**
 * The batches between a node's mempool and the producer, in the chain's layout rather than Jackson's CBOR: the
 * admitted transactions ({@link Enqueue}, each as its canonical bytes) and what became of them ({@link Outcomes}).
 * Serializer id {@value #ID}; {@code actors/src/main/resources/reference.conf} binds it.
 */
public final class ProducerMessageSerializer extends CanonicalMessageSerializer {

  public static final int ID = 1402;

  private static final String ENQUEUE = "Enqueue";
  private static final String OUTCOMES = "Outcomes";
  private static final SubmitResult.Outcome[] OUTCOME_VALUES = SubmitResult.Outcome.values();

  public ProducerMessageSerializer(ExtendedActorSystem system) {
    super(system, ID, Map.of(Enqueue.class, ENQUEUE, Outcomes.class, OUTCOMES));
  }

  @Override
  protected int sizeHint(Object message) {
    if (message instanceof Enqueue enqueue) {
      return enqueue.transactions().stream().mapToInt(a -> a.transaction().length + 128).sum() + 256;
    } else if (message instanceof Outcomes outcomes) {
      return outcomes.results().size() * 200 + 16;
    }
    return 256;
  }

  @Override
  protected void write(Object message, CanonicalWriter out) {
    if (message instanceof Enqueue enqueue) {
      out.writeInt(enqueue.transactions().size());
      for (Admitted admitted : enqueue.transactions()) {
        out.writeBytes(admitted.transaction()).writeString(admitted.hash()).writeString(admitted.submitter())
            .writeLong(admitted.nonce());
      }
      writeRef(out, enqueue.replyTo());
    } else if (message instanceof Outcomes outcomes) {
      out.writeInt(outcomes.results().size());
      for (SubmitResult result : outcomes.results()) {
        out.writeInt(result.outcome().ordinal());
        writeOptionalString(out, result.transactionHash());
        out.writeLong(result.height());
        writeOptionalString(out, result.blockHash());
        writeOptionalString(out, result.code());
        writeOptionalString(out, result.reason());
      }
    } else {
      throw unbound(message);
    }
  }

  @Override
  protected Object read(String manifest, CanonicalReader in) {
    return switch (manifest) {
      case ENQUEUE -> readEnqueue(in);
      case OUTCOMES -> readOutcomes(in);
      default -> null;
    };
  }

  private Enqueue readEnqueue(CanonicalReader in) {
    // a transaction, its hash and submitter take a length each and the nonce 8 bytes: 20 bytes at the least
    int count = readCount(in, "transactions", 20);
    List<Admitted> transactions = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      String field = "transaction " + i;
      transactions.add(new Admitted(readPayload(in, field), in.readString(field + " hash"),
          in.readString(field + " submitter"), in.readLong(field + " nonce")));
    }
    return new Enqueue(List.copyOf(transactions), readRef(in, "replyTo"));
  }

  private Outcomes readOutcomes(CanonicalReader in) {
    // an outcome, a height and four presence flags: 16 bytes at the least
    int count = readCount(in, "results", 16);
    List<SubmitResult> results = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      String field = "result " + i;
      int outcome = in.readInt(field + " outcome");
      if (outcome < 0 || outcome >= OUTCOME_VALUES.length) {
        throw new MalformedEncodingException(field + ": outcome " + outcome + " is outside 0.." + (OUTCOME_VALUES.length - 1));
      }
      results.add(new SubmitResult(OUTCOME_VALUES[outcome], readOptionalString(in, field + " transactionHash"),
          in.readLong(field + " height"), readOptionalString(in, field + " blockHash"),
          readOptionalString(in, field + " code"), readOptionalString(in, field + " reason")));
    }
    return new Outcomes(List.copyOf(results));
  }
}
