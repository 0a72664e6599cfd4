package org.latticare.ledger.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.pattern.StatusReply;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;

/** The replica's block-carrying messages under the project's configuration, as Artery and the asks see them. */
class ChainReplicaSerializerTest {

  private static ActorTestKit kit;
  private static Serialization serialization;
  private static ChainReplicaSerializer serializer;

  @BeforeAll
  static void start() throws Exception {
    // the project's own profile (cluster provider, Artery on a free port): actor references carry an address
    kit = ActorTestKit.create("serializer", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", Files.createTempDirectory("serializer").toString())));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    serializer = (ChainReplicaSerializer) serialization.serializerFor(ChainReplica.AppendBlock.class);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static byte[] block() {
    List<Transaction> txs = List.of(
        Fixtures.tx(Fixtures.ADMIN, "admin", 1, new TxBody.PatientEnrolled(Fixtures.PATIENT_ID, new byte[] {1},
            Sha3Hash.ZERO)),
        Fixtures.tx(Fixtures.ADMIN, "admin", 2, new TxBody.PatientEnrolled("p-2", new byte[] {2},
            Sha3Hash.ZERO)));
    return Block.produce(Fixtures.genesis(), txs, "node-1", Fixtures.nodeKey("node-1"), Fixtures.TIME).encode();
  }

  /** As Artery does: into a little-endian direct buffer after a header, and back from the same place. */
  private static Object throughArteryBuffer(Object message) throws NotSerializableException {
    ByteBuffer frame = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    frame.put(new byte[17]);
    serializer.toBinary(message, frame);
    frame.flip().position(17);
    Object read = serializer.fromBinary(frame, serializer.manifest(message));
    assertThat(frame.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    return read;
  }

  /** Through the serialization extension's array path: what Akka uses inside a StatusReply or the journal. */
  private static Object throughExtension(Object message) {
    byte[] bytes = serialization.serialize(message).get();
    Serializer chosen = serialization.findSerializerFor(message);
    return serialization.deserialize(bytes, chosen.identifier(), Serializers.manifestFor(chosen, message)).get();
  }

  @Test
  void theProjectConfigurationBindsEveryBlockCarryingMessageToThisSerializer() throws Exception {
    for (Class<?> type : List.of(ChainReplica.AppendBlock.class, ChainReplica.Appended.class, ChainReplica.GetBlock.class,
        ChainReplica.GetBlocks.class, ChainReplica.Blocks.class)) {
      assertThat(serialization.serializerFor(type)).as(type.getSimpleName()).isInstanceOf(ChainReplicaSerializer.class);
    }
    assertThat(serializer.identifier()).isEqualTo(ChainReplicaSerializer.ID);
    // everything else stays with the marker's Jackson binding
    assertThat(serialization.serializerFor(ChainReplica.GetHead.class).getClass().getSimpleName())
        .isEqualTo("JacksonCborSerializer");
  }

  @Test
  void aBlockToAppendTravelsAsItsCanonicalBytesWithAReplyToThatStillReachesTheAsker() throws Exception {
    byte[] block = block();
    TestProbe<StatusReply<ChainReplica.Appended>> asker = kit.createTestProbe();
    ChainReplica.AppendBlock read = (ChainReplica.AppendBlock) throughArteryBuffer(
        new ChainReplica.AppendBlock(block, asker.getRef()));

    assertThat(read.block()).isEqualTo(block);
    assertThat(Block.decode(read.block()).hash()).isEqualTo(Block.decode(block).hash());
    assertThat(read.replyTo()).isEqualTo(asker.getRef());
    read.replyTo().tell(StatusReply.error("refused"));
    assertThat(asker.receiveMessage(Duration.ofSeconds(5)).getError().getMessage()).isEqualTo("refused");
  }

  @Test
  void theBufferAndTheArrayPathsWriteTheSameBytes() {
    TestProbe<StatusReply<ChainReplica.Appended>> asker = kit.createTestProbe();
    ChainReplica.AppendBlock message = new ChainReplica.AppendBlock(block(), asker.getRef());
    ByteBuffer frame = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    serializer.toBinary(message, frame);
    byte[] written = Arrays.copyOf(frame.array(), frame.position());

    assertThat(serializer.toBinary(message)).isEqualTo(written);
  }

  @Test
  void anAppendedReplyRoundTripsInsideAStatusReplyAndSoDoesARefusal() {
    ChainReplica.Appended appended = new ChainReplica.Appended("node-2", 42, "ab".repeat(32));
    @SuppressWarnings("unchecked")
    StatusReply<ChainReplica.Appended> success = (StatusReply<ChainReplica.Appended>) throughExtension(
        StatusReply.success(appended));
    assertThat(success.isSuccess()).isTrue();
    assertThat(success.getValue()).isEqualTo(appended);

    StatusReply<?> error = (StatusReply<?>) throughExtension(StatusReply.error("height 42 already holds another block"));
    assertThat(error.isError()).isTrue();
    assertThat(error.getError().getMessage()).isEqualTo("height 42 already holds another block");
  }

  @Test
  void catchUpRequestsAndBatchesRoundTrip() throws Exception {
    TestProbe<ChainReplica.Blocks> blocksAsker = kit.createTestProbe();
    TestProbe<StatusReply<byte[]>> blockAsker = kit.createTestProbe();

    ChainReplica.GetBlocks getBlocks = (ChainReplica.GetBlocks) throughArteryBuffer(
        new ChainReplica.GetBlocks(7, 100, blocksAsker.getRef()));
    assertThat(getBlocks).isEqualTo(new ChainReplica.GetBlocks(7, 100, blocksAsker.getRef()));

    ChainReplica.GetBlock getBlock = (ChainReplica.GetBlock) throughExtension(new ChainReplica.GetBlock(3, blockAsker.getRef()));
    assertThat(getBlock).isEqualTo(new ChainReplica.GetBlock(3, blockAsker.getRef()));

    byte[] first = block();
    byte[] second = Fixtures.genesis().encode();
    ChainReplica.Blocks blocks = (ChainReplica.Blocks) throughArteryBuffer(
        new ChainReplica.Blocks("node-3", 9, List.of(first, second)));
    assertThat(blocks.nodeId()).isEqualTo("node-3");
    assertThat(blocks.headHeight()).isEqualTo(9);
    assertThat(blocks.blocks()).containsExactly(first, second);

    ChainReplica.Blocks none = (ChainReplica.Blocks) throughExtension(new ChainReplica.Blocks("node-3", 0, List.of()));
    assertThat(none.blocks()).isEmpty();
  }

  @Test
  void truncatedBytesAreRefusedNamingTheMessageAndTheField() throws Exception {
    TestProbe<StatusReply<ChainReplica.Appended>> asker = kit.createTestProbe();
    byte[] whole = serializer.toBinary(new ChainReplica.AppendBlock(block(), asker.getRef()));

    for (int length : new int[] {0, 3, 100, whole.length - 1}) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> serializer.fromBinary(cut, "AppendBlock"))
          .isInstanceOf(NotSerializableException.class)
          .hasMessageStartingWith("malformed AppendBlock: ")
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void aForgedLengthOrCountIsRefusedBeforeAnythingIsAllocated() throws Exception {
    // a block length of 2 GiB - 1 behind four bytes: beyond the largest frame Artery carries
    byte[] hugeBlock = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
    assertThatThrownBy(() -> serializer.fromBinary(hugeBlock, "AppendBlock"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("block: length 2147483647 is outside 0..");
    // a length within the frame but beyond what arrived
    byte[] shortBlock = {0, 0x10, 0, 0, 1, 2, 3, 4};
    assertThatThrownBy(() -> serializer.fromBinary(shortBlock, "AppendBlock"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("block: truncated");
    byte[] negative = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};
    assertThatThrownBy(() -> serializer.fromBinary(negative, "AppendBlock"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("length -2");

    byte[] manyBlocks = serializer.toBinary(new ChainReplica.Blocks("n", 1, List.of()));
    manyBlocks[manyBlocks.length - 4] = 0x7f; // the count of blocks
    assertThatThrownBy(() -> serializer.fromBinary(manyBlocks, "Blocks"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("blocks: count");
  }

  @Test
  void trailingBytesAndUnknownManifestsAreRefused() throws Exception {
    byte[] appended = serializer.toBinary(new ChainReplica.Appended("node-1", 1, "h"));
    byte[] longer = Arrays.copyOf(appended, appended.length + 1);
    assertThatThrownBy(() -> serializer.fromBinary(longer, "Appended"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("1 trailing bytes");
    assertThatThrownBy(() -> serializer.fromBinary(appended, "Head"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("no manifest 'Head'");
    assertThatThrownBy(() -> serializer.toBinary(new ChainReplica.GetHead(null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not serialize");
  }
}
