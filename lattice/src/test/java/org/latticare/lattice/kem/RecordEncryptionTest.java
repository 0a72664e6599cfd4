package org.latticare.lattice.kem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.kem.RecordEncryption.Envelope;
import org.latticare.lattice.kem.RecordEncryption.Grantee;
import org.latticare.lattice.kem.RecordEncryption.RecordAccessException;
import org.latticare.lattice.kem.RecordEncryption.SealedRecord;
import org.latticare.lattice.trapdoor.TrapdoorParameters;

class RecordEncryptionTest {

    static Stream<Kem> kems() {
        return Stream.of(new MlKem768(), new TrapdoorLweKem(TrapdoorParameters.STANDARD));
    }

    private final SecureRandom random = new SecureRandom();
    private final byte[] record = "{\"diagnosis\":\"J45.909\",\"hba1c\":6.1}".getBytes(StandardCharsets.UTF_8);
    private final byte[] recordId = "record-42".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void everyGranteeOpensTheRecordAndNobodyElseDoes(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair patient = kem.generateKeyPair(random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        KemKeyPair outsider = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, recordId, List.of(
                new Grantee("patient", patient.publicKey()), new Grantee("doctor", doctor.publicKey())));

        assertThat(records.open(sealed, "patient", patient.privateKey())).isEqualTo(record);
        assertThat(records.open(sealed, "doctor", doctor.privateKey())).isEqualTo(record);
        assertThatThrownBy(() -> records.open(sealed, "outsider", outsider.privateKey())).isInstanceOf(RecordAccessException.class);
        assertThatThrownBy(() -> records.open(sealed, "doctor", outsider.privateKey())).isInstanceOf(RecordAccessException.class);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("diagnosis");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void tamperingWithAnyPartIsDetected(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, recordId, List.of(new Grantee("doctor", doctor.publicKey())));
        Envelope envelope = sealed.envelopes().get(0);

        byte[] body = sealed.ciphertext().clone();
        body[3] ^= 1;
        assertRefused(records, new SealedRecord(sealed.kem(), sealed.nonce(), body, sealed.associatedData(), sealed.envelopes()), doctor);

        byte[] otherAad = "record-43".getBytes(StandardCharsets.UTF_8);
        assertRefused(records, new SealedRecord(sealed.kem(), sealed.nonce(), sealed.ciphertext(), otherAad, sealed.envelopes()), doctor);

        byte[] kemCiphertext = envelope.kemCiphertext().clone();
        kemCiphertext[kemCiphertext.length / 2] ^= 1;
        assertRefused(records, withEnvelope(sealed, new Envelope("doctor", kemCiphertext, envelope.nonce(), envelope.wrappedKey())), doctor);

        byte[] wrapped = envelope.wrappedKey().clone();
        wrapped[0] ^= 1;
        assertRefused(records, withEnvelope(sealed, new Envelope("doctor", envelope.kemCiphertext(), envelope.nonce(), wrapped)), doctor);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void revocationAndShreddingRemoveAccess(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair patient = kem.generateKeyPair(random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        KemKeyPair specialist = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, recordId, List.of(
                new Grantee("patient", patient.publicKey()), new Grantee("doctor", doctor.publicKey())));

        SealedRecord shared = records.grant(sealed, "patient", patient.privateKey(), new Grantee("specialist", specialist.publicKey()));
        assertThat(records.open(shared, "specialist", specialist.privateKey())).isEqualTo(record);

        SealedRecord revoked = shared.revoke("doctor");
        assertThatThrownBy(() -> records.open(revoked, "doctor", doctor.privateKey())).isInstanceOf(RecordAccessException.class);
        assertThat(records.open(revoked, "patient", patient.privateKey())).isEqualTo(record);

        SealedRecord shredded = revoked.shred();
        assertThatThrownBy(() -> records.open(shredded, "patient", patient.privateKey())).isInstanceOf(RecordAccessException.class);
    }

    private static SealedRecord withEnvelope(SealedRecord s, Envelope e) {
        return new SealedRecord(s.kem(), s.nonce(), s.ciphertext(), s.associatedData(), List.of(e));
    }

    private static void assertRefused(RecordEncryption records, SealedRecord sealed, KemKeyPair keys) {
        assertThatThrownBy(() -> records.open(sealed, "doctor", keys.privateKey())).isInstanceOf(RecordAccessException.class);
    }
}
