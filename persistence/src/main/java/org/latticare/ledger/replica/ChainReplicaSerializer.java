package org.latticare.ledger.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import akka.actor.ExtendedActorSystem;
import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.replica.ChainReplica.AppendBlock;
import org.latticare.ledger.replica.ChainReplica.Appended;
import org.latticare.ledger.replica.ChainReplica.Blocks;
import org.latticare.ledger.replica.ChainReplica.GetBlock;
import org.latticare.ledger.replica.ChainReplica.GetBlocks;

/**
 * The replica's messages that carry blocks between nodes, in the chain's layout rather than Jackson's CBOR: a
 * producer's {@link AppendBlock} to every replica and the {@link Appended} each answers (inside Akka's
 * {@code StatusReply}), and catch-up's {@link GetBlocks}, {@link Blocks} and {@link GetBlock}. Serializer id
 * {@value #ID} (ids up to 40 are Akka's own; {@code persistence/src/main/resources/reference.conf} binds it).
 * Changing a layout here needs every node upgraded together, as any change of a message does.
 */
public final class ChainReplicaSerializer extends CanonicalMessageSerializer {

  public static final int ID = 1401;

  private static final String APPEND_BLOCK = "AppendBlock";
  private static final String APPENDED = "Appended";
  private static final String GET_BLOCK = "GetBlock";
  private static final String GET_BLOCKS = "GetBlocks";
  private static final String BLOCKS = "Blocks";

  public ChainReplicaSerializer(ExtendedActorSystem system) {
    super(system, ID, Map.of(AppendBlock.class, APPEND_BLOCK, Appended.class, APPENDED, GetBlock.class, GET_BLOCK,
        GetBlocks.class, GET_BLOCKS, Blocks.class, BLOCKS));
  }

  @Override
  protected int sizeHint(Object message) {
    if (message instanceof AppendBlock append) {
      return append.block().length + 256;
    } else if (message instanceof Blocks blocks) {
      return blocks.blocks().stream().mapToInt(block -> block.length + 4).sum() + 128;
    }
    return 256;
  }

  @Override
  protected void write(Object message, CanonicalWriter out) {
    if (message instanceof AppendBlock append) {
      out.writeBytes(append.block());
      writeRef(out, append.replyTo());
    } else if (message instanceof Appended appended) {
      out.writeString(appended.nodeId()).writeLong(appended.height()).writeString(appended.hash());
    } else if (message instanceof GetBlock get) {
      out.writeLong(get.height());
      writeRef(out, get.replyTo());
    } else if (message instanceof GetBlocks get) {
      out.writeLong(get.fromHeight()).writeInt(get.max());
      writeRef(out, get.replyTo());
    } else if (message instanceof Blocks blocks) {
      out.writeString(blocks.nodeId()).writeLong(blocks.headHeight()).writeInt(blocks.blocks().size());
      blocks.blocks().forEach(out::writeBytes);
    } else {
      throw unbound(message);
    }
  }

  @Override
  protected Object read(String manifest, CanonicalReader in) {
    return switch (manifest) {
      case APPEND_BLOCK -> new AppendBlock(readPayload(in, "block"), readRef(in, "replyTo"));
      case APPENDED -> new Appended(in.readString("nodeId"), in.readLong("height"), in.readString("hash"));
      case GET_BLOCK -> new GetBlock(in.readLong("height"), readRef(in, "replyTo"));
      case GET_BLOCKS -> new GetBlocks(in.readLong("fromHeight"), in.readInt("max"), readRef(in, "replyTo"));
      case BLOCKS -> readBlocks(in);
      default -> null;
    };
  }

  private Blocks readBlocks(CanonicalReader in) {
    String nodeId = in.readString("nodeId");
    long headHeight = in.readLong("headHeight");
    int count = readCount(in, "blocks", 4);
    List<byte[]> blocks = new ArrayList<>(Math.min(count, ChainReplica.MAX_BLOCKS_PER_REQUEST));
    for (int i = 0; i < count; i++) {
      blocks.add(readPayload(in, "block " + i));
    }
    return new Blocks(nodeId, headHeight, List.copyOf(blocks));
  }
}
