package org.example.pumpremote

import java.security.SecureRandom
import kotlin.random.Random

/** The code shown on the phone and typed on the pump to pair them. */
object PairingCode {
    fun next(): String = Random.nextInt(0, 1_000_000).toString().padStart(6, '0')

    private val secure = SecureRandom()

    fun nextSecure(): String = secure.nextInt(1_000_000).toString().padStart(6, '0')

    /** Jitter for the reconnect back-off: not a secret. */
    fun reconnectJitterMs(): Long = Random.nextLong(0, 750)
}
