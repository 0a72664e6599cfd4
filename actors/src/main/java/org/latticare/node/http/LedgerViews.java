package org.latticare.node.http;

import java.util.Base64;
import java.util.List;

import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;

/**
 * The API's views of chain data, derived from the canonical encodings (which stay the only thing
 * hashed or signed): hashes in hexadecimal, byte strings in base64. Records, so that the answer's
 * shape is the type and {@code openapi.json} describes exactly these components.
 */
public final class LedgerViews {

  private LedgerViews() {}

  public record ChainHead(String nodeId, long height, String hash, long timestampMillis, String producerId,
      int transactionCount) {

    static ChainHead of(ChainReplica.Head head) {
      return new ChainHead(head.nodeId(), head.height(), head.hash(), head.timestampMillis(), head.producerId(),
          head.transactionCount());
    }
  }

  public record TransactionSummary(String hash, String type, String submitter, long nonce) {

    static TransactionSummary of(Transaction tx) {
      return new TransactionSummary(tx.hash().hex(), tx.type().name(), tx.submitter(), tx.nonce());
    }
  }

  /**
   * A block as an outside verifier needs it: the header's fields (version included), the producer, the
   * SHA3-256 of the producer's public key as the genesis block lists it ({@code producerKeyId}, empty for the
   * genesis block), its ML-DSA-65 signature (base64), and the block's canonical encoding (base64), from which
   * every check can be made without trusting this view ({@code latticare verify}).
   */
  public record BlockView(int version, long height, String hash, String previousHash, String merkleRoot,
      long timestampMillis, String producerId, String producerKeyId, String producerSignature, int transactionCount,
      List<TransactionSummary> transactions, String encoded) {

    static BlockView of(Block block, TxBody.ConsortiumFounded consortium) {
      String keyId = consortium.members().stream().filter(m -> m.nodeId().equals(block.header().producerId()))
          .findFirst().map(m -> Sha3Hash.of(m.publicKey()).hex()).orElse("");
      Base64.Encoder base64 = Base64.getEncoder();
      return new BlockView(block.header().version(), block.height(), block.hash().hex(),
          block.header().previousHash().hex(), block.header().merkleRoot().hex(), block.header().timestampMillis(),
          block.header().producerId(), keyId, base64.encodeToString(block.signature()), block.transactions().size(),
          block.transactions().stream().map(TransactionSummary::of).toList(), base64.encodeToString(block.encode()));
    }
  }

  public record ProofStep(String sibling, boolean siblingOnLeft) {}

  /** A committed transaction with what a client needs to check it against a block's Merkle root. */
  public record TransactionView(String hash, String type, String submitter, long nonce, long timestampMillis,
      TxBody body, long height, int index, String blockHash, String merkleRoot, List<ProofStep> merkleProof,
      String encoded) {

    static TransactionView of(ChainReplica.TransactionProof proof) {
      Transaction tx = Transaction.decode(proof.transaction());
      return new TransactionView(tx.hash().hex(), tx.type().name(), tx.submitter(), tx.nonce(), tx.timestampMillis(),
          tx.body(), proof.height(), proof.index(), proof.blockHash(), proof.merkleRoot(),
          proof.proof().stream().map(step -> new ProofStep(step.sibling(), step.siblingOnLeft())).toList(),
          Base64.getEncoder().encodeToString(proof.transaction()));
    }
  }

  public record PatientTransactions(String pseudonym, List<String> transactionHashes) {

    static PatientTransactions of(ChainReplica.PatientTransactions index) {
      return new PatientTransactions(index.pseudonym(), index.transactionHashes());
    }
  }
}
