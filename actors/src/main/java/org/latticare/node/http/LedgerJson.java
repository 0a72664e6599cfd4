package org.latticare.node.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;

/**
 * JSON views of chain data for the API, derived from the canonical encodings (which stay the only
 * thing hashed or signed): hashes in hexadecimal, byte strings in base64.
 */
final class LedgerJson {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule().addSerializer(Sha3Hash.class, ToStringSerializer.instance));

  private LedgerJson() {}

  static Map<String, Object> block(Block block) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("height", block.height());
    view.put("hash", block.hash().hex());
    view.put("previousHash", block.header().previousHash().hex());
    view.put("merkleRoot", block.header().merkleRoot().hex());
    view.put("timestampMillis", block.header().timestampMillis());
    view.put("producerId", block.header().producerId());
    view.put("transactionCount", block.transactions().size());
    view.put("transactions", block.transactions().stream().map(LedgerJson::summary).toList());
    return view;
  }

  static Map<String, Object> summary(Transaction tx) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("hash", tx.hash().hex());
    view.put("type", tx.type().name());
    view.put("submitter", tx.submitter());
    view.put("nonce", tx.nonce());
    return view;
  }

  static Map<String, Object> transactionWithProof(ChainReplica.TransactionProof proof) {
    Transaction tx = Transaction.decode(proof.transaction());
    Map<String, Object> view = new LinkedHashMap<>(summary(tx));
    view.put("timestampMillis", tx.timestampMillis());
    view.put("body", tx.body());
    view.put("height", proof.height());
    view.put("index", proof.index());
    view.put("blockHash", proof.blockHash());
    view.put("merkleRoot", proof.merkleRoot());
    List<Map<String, Object>> steps = proof.proof().stream()
        .map(step -> Map.<String, Object>of("sibling", step.sibling(), "siblingOnLeft", step.siblingOnLeft()))
        .toList();
    view.put("merkleProof", steps);
    view.put("encoded", java.util.Base64.getEncoder().encodeToString(proof.transaction()));
    return view;
  }
}
