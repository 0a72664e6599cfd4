package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;

/** {@code latticare verify}: a node's chain checked from its genesis block, trusting the node for nothing. */
class VerifyCliTest {

  private static WalletConsortium consortium;

  @BeforeAll
  static void start() throws Exception {
    consortium = WalletConsortium.start();
    consortium.enrolledWallet("admin", "auditor", "clinician", "hospital-1");
    for (int i = 0; i < 5; i++) {
      consortium.submit("admin", new TxBody.PatientEnrolled("p-verify-" + i, new byte[] {1}, Sha3Hash.ZERO));
    }
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  @Test
  void aNodesChainVerifiesAgainstItsGenesisBlockAndNotAgainstAnotherConsortiums() throws Exception {
    Path genesis = consortium.dir.resolve("genesis.block");
    Files.write(genesis, consortium.cluster.genesis.encode());
    WalletConsortium.Run ok = consortium.as("auditor", "verify", "--genesis", genesis.toString());
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("verified").contains("against the genesis block");

    TxBody.ConsortiumFounded founding = ConsortiumFiles.founding(consortium.cluster.genesis);
    Path other = consortium.dir.resolve("other.block");
    Files.write(other, Block.genesis(new TxBody.ConsortiumFounded("another", founding.members(),
        founding.identities())).encode());
    WalletConsortium.Run refused = consortium.as("auditor", "verify", "--genesis", other.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).contains("block 0 does not verify").contains("genesis");
  }
}
