package org.latticare.ledger.tx;

import java.util.List;
import java.util.Optional;

import org.latticare.ledger.IdentityKeys;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.encoding.CanonicalCodec;
import org.latticare.ledger.encoding.CanonicalWriter;

/**
 * What a transaction says: one record type per flow of ARCHITECTURE.md. Each is encoded by
 * {@link org.latticare.ledger.encoding.CanonicalCodec} (components in declaration order) and tagged by
 * its {@link TxType}. Direct identifiers never appear here: patients are pseudonyms, attributes are
 * committed as a Merkle root, record contents are ciphertext or a hash of ciphertext.
 */
public sealed interface TxBody {

  /** Founding of the consortium: only in the genesis block. */
  record ConsortiumFounded(String consortium, List<Member> members, List<Identity> identities) implements TxBody {
    public ConsortiumFounded {
      Fields.name("consortium", consortium);
      members = List.copyOf(members);
      identities = List.copyOf(identities);
    }
  }

  /** A consortium node: the organisation running it, its roles, and the ML-DSA-65 key its blocks are signed with. */
  record Member(String organisation, String nodeId, List<String> roles, byte[] publicKey) {
    public Member {
      Fields.name("organisation", organisation);
      Fields.name("nodeId", nodeId);
      roles = List.copyOf(roles);
      Fields.publicKey(publicKey);
    }
  }

  /** A caller allowed to submit transactions, with its role and ML-DSA-65 public key. */
  record Identity(String identityId, String role, String organisation, byte[] publicKey) {
    public Identity {
      Fields.name("identityId", identityId);
      Fields.role(role);
      Fields.name("organisation", organisation);
      Fields.publicKey(publicKey);
    }

    /** The keys {@code publicKey} encodes ({@link IdentityKeys}: the ML-DSA-65 key, and an ML-KEM-768 key from version 2). */
    public Optional<IdentityKeys> keys() {
      return IdentityKeys.decode(publicKey);
    }

    /** The ML-DSA-65 key its signatures verify under; bytes that are no key verify nothing. */
    public byte[] signingKey() {
      return keys().map(IdentityKeys::signing).orElse(new byte[0]);
    }
  }

  /** A consortium member enrols a caller (the MSP step of Fabric). */
  record IdentityEnrolled(Identity identity) implements TxBody {}

  /**
   * A hospital registers a patient: pseudonym (HMAC-SHA3 of the hospital-local id), the patient's
   * identification public key (opaque here), and the root of the salted attribute commitments.
   */
  record PatientEnrolled(String pseudonym, byte[] identityPublicKey, Sha3Hash attributeRoot) implements TxBody {
    public PatientEnrolled {
      Fields.name("pseudonym", pseudonym);
    }
  }

  /** An encrypted record: inline ciphertext when small, else only its hash and where it is stored. */
  record RecordAnchored(String recordId, String pseudonym, Sha3Hash ciphertextHash, long sizeBytes, String location,
      byte[] inlineCiphertext) implements TxBody {
    public RecordAnchored {
      Fields.name("recordId", recordId);
      Fields.name("pseudonym", pseudonym);
      Fields.nonNegative("sizeBytes", sizeBytes);
    }
  }

  /** Access for a grantee under a policy until {@code notAfterMillis}, with the record key encapsulated to it. */
  record AccessGranted(String recordId, String grantee, String policy, long notAfterMillis, byte[] keyEnvelope)
      implements TxBody {
    public AccessGranted {
      Fields.name("recordId", recordId);
      Fields.name("grantee", grantee);
    }
  }

  record AccessRevoked(String recordId, String grantee) implements TxBody {
    public AccessRevoked {
      Fields.name("recordId", recordId);
      Fields.name("grantee", grantee);
    }
  }

  record AccessExpired(String recordId, String grantee) implements TxBody {
    public AccessExpired {
      Fields.name("recordId", recordId);
      Fields.name("grantee", grantee);
    }
  }

  /** Every read is itself logged, so a patient can list who read what, when. */
  record RecordAccessed(String recordId, String reader, String purpose) implements TxBody {
    public RecordAccessed {
      Fields.name("recordId", recordId);
      Fields.name("reader", reader);
    }
  }

  /** Crypto-shredding: every key envelope of the record is deleted. */
  /**
   * A clinician opens a record without a grant, in an emergency, with a justification: access for
   * emergency treatment ({@code ETREAT}) until {@code notAfterMillis} (at most four hours), an alert to
   * the patient and to the privacy officer of the patient's hospital.
   */
  record BreakGlass(String recordId, String clinician, String justification, long notAfterMillis) implements TxBody {
    public BreakGlass {
      Fields.name("recordId", recordId);
      Fields.name("clinician", clinician);
    }
  }

  record RecordErased(String recordId) implements TxBody {
    public RecordErased {
      Fields.name("recordId", recordId);
    }
  }

  /**
   * The first layout of an identification outcome: it names verifiers but carries none of their
   * signatures, so nothing shows they took part. Kept so that old encodings still decode; the rules
   * refuse it ({@code VERDICTS_REQUIRED}): {@link IdentityVerified} replaces it.
   */
  record IdentityVerifiedV1(String pseudonym, String sessionId, Sha3Hash transcriptHash, List<String> verifiers)
      implements TxBody {
    public IdentityVerifiedV1 {
      Fields.name("pseudonym", pseudonym);
      Fields.name("sessionId", sessionId);
      verifiers = List.copyOf(verifiers);
    }
  }

  /**
   * The outcome of an identification session: the transcript's hash and each verifier's signed verdict
   * over it ({@link #verdictMessage}); valid only with verdicts from a majority of the consortium's
   * verifier nodes.
   */
  record IdentityVerified(String pseudonym, String sessionId, Sha3Hash transcriptHash, List<Verdict> verdicts)
      implements TxBody {
    public IdentityVerified {
      Fields.name("pseudonym", pseudonym);
      Fields.name("sessionId", sessionId);
      verdicts = List.copyOf(verdicts);
    }

    /** What a verifier node signs with its ML-DSA-65 node key to accept a session. */
    public static byte[] verdictMessage(String consortium, String pseudonym, String sessionId, Sha3Hash transcriptHash) {
      return new CanonicalWriter().writeString("latticare-verdict").writeString(consortium).writeString(pseudonym)
          .writeString(sessionId).writeBytes(transcriptHash.bytes()).toByteArray();
    }
  }

  /** One verifier node's acceptance of an identification session, signed with its node key. */
  record Verdict(String nodeId, byte[] signature) {
    public Verdict {
      Fields.name("nodeId", nodeId);
    }
  }

  /**
   * The consortium enrols an identity: the only way to a role that speaks for the consortium
   * ({@link Role#consortiumLevel()}), valid with approvals from hospital admins of a majority of the
   * consortium's member organisations, each signing {@link #approvalMessage}.
   */
  record ConsortiumEnrolled(Identity identity, List<Approval> approvals) implements TxBody {
    public ConsortiumEnrolled {
      approvals = List.copyOf(approvals);
    }

    /** What an approving admin signs with its identity key. */
    public static byte[] approvalMessage(String consortium, Identity identity) {
      return new CanonicalWriter().writeString("latticare-consortium-enrolment").writeString(consortium)
          .writeBytes(CanonicalCodec.encode(identity)).toByteArray();
    }
  }

  /** An admin's signed approval of a consortium enrolment. */
  record Approval(String adminId, byte[] signature) {
    public Approval {
      Fields.name("adminId", adminId);
    }
  }

  record StudyCreated(String studyId, String title, int minimumCohort, byte[] studyPublicKey) implements TxBody {
    public StudyCreated {
      Fields.name("studyId", studyId);
      Fields.nonNegative("minimumCohort", minimumCohort);
    }
  }

  record StatisticSubmitted(String studyId, String metric, int records, byte[] ciphertext) implements TxBody {
    public StatisticSubmitted {
      Fields.name("studyId", studyId);
      Fields.name("metric", metric);
      Fields.nonNegative("records", records);
    }
  }

  record AggregateReleased(String studyId, String metric, int records, List<Long> values) implements TxBody {
    public AggregateReleased {
      Fields.name("studyId", studyId);
      Fields.name("metric", metric);
      Fields.nonNegative("records", records);
      values = List.copyOf(values);
    }
  }
}
