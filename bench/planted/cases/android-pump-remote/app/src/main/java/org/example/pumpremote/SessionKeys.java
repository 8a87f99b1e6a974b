package org.example.pumpremote;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Session keys for the pump link. */
public class SessionKeys {
    public static byte[] newSessionKey() throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(20240611L);
        byte[] key = new byte[16];
        random.nextBytes(key);
        return key;
    }

    public static byte[] newNonce() {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        return nonce;
    }
}
